package io.herald.router;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamRangeArgs;
import org.redisson.client.codec.StringCodec;

import io.herald.streams.ClusterSettings;
import io.herald.streams.Delivery;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.InboxEntry;
import io.herald.streams.ShardEntry;
import io.herald.streams.ShardStreams;

/**
 * What the router tests do around a router running against the test Redis: append to shard
 * streams as a gateway does, and read a gateway's inbox as it would.
 */
@ApplicationScoped
public class TestStreams {

    @Inject
    ShardStreams shardStreams;

    @Inject
    ClusterSettings cluster;

    @Inject
    RedissonClient redis;

    /** Appends as one gateway call, so the entries keep their order and may land in one batch. */
    public void append(List<? extends ShardEntry> entries) {
        shardStreams.append(List.copyOf(entries)).toCompletableFuture().join();
    }

    public void append(ShardEntry... entries) {
        append(List.of(entries));
    }

    /** Everything in the gateway's inbox, oldest first. */
    public List<InboxEntry> inbox(String gateway) {
        return redis.<String, String>getStream(cluster.layout().inbox(gateway), StringCodec.INSTANCE)
                .range(StreamRangeArgs.startId(StreamMessageId.MIN).endId(StreamMessageId.MAX)).values().stream()
                .map(EnvelopeCodec::decodeInboxEntry).toList();
    }

    /** The deliveries in the gateway's inbox, oldest first. */
    public List<Delivery> deliveries(String gateway) {
        return inbox(gateway).stream().filter(Delivery.class::isInstance).map(Delivery.class::cast).toList();
    }

    /** A name no other test uses: every test class shares one Redis. */
    public static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
