package io.herald.streams;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

/** Appends entries to the shard streams of their channels. */
@ApplicationScoped
public class ShardStreams {

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    /**
     * Bounds each shard stream (approximately, so Redis trims whole nodes). Entries are kept after
     * routers acknowledged them; the bound must exceed what routers can fall behind by, or
     * unrouted entries would be trimmed.
     */
    @ConfigProperty(name = "herald.streams.shard-max-length", defaultValue = "100000")
    int maxLength;

    /**
     * Appends the entries in one pipelined round trip, in list order. The stage completes once
     * Redis holds all of them, and fails if it holds none or only some.
     */
    public CompletionStage<Void> append(List<? extends ShardEntry> entries) {
        if (redis.isShuttingDown() || redis.isShutdown()) {
            // Connections closing as the process stops still say goodbye; there is nobody to tell.
            return CompletableFuture.failedFuture(new IllegalStateException("the Redis client is shut down"));
        }
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        for (ShardEntry entry : entries) {
            String stream = cluster.layout().shardStream(cluster.shardOf(entry.app(), entry.channel()));
            batch.<String, String>getStream(stream, StringCodec.INSTANCE)
                    .addAsync(StreamAddArgs.entries(EnvelopeCodec.encode(entry)).trimNonStrict().maxLen(maxLength).noLimit());
        }
        return batch.executeAsync().thenApply(results -> null);
    }
}
