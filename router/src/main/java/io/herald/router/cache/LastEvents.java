package io.herald.router.cache;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.router.routing.FencedWrites;
import io.herald.router.routing.WebhookFacts;
import io.herald.streams.CacheAnswer;
import io.herald.streams.CacheRequest;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.Publication;
import io.herald.streams.StreamLayout;
import io.herald.streams.WebhookFact;
import io.vertx.core.json.JsonObject;

/**
 * The last event of each cache channel, kept by the channel's router in Redis for a while
 * ({@code herald.cache.ttl-seconds}), and handed to each new subscriber at its place in channel
 * order. Values are read once per batch and overlaid with the batch's own publications, so an
 * answer reflects everything before its request. A request that finds nothing is also the
 * webhook fact {@code cache_miss}. Used by one thread at a time, like the routing tables.
 */
public final class LastEvents {

    private final RedissonClient redis;
    private final StreamLayout layout;
    private final long ttlMillis;
    private final int inboxMaxLength;
    private final WebhookFacts webhooks;
    private final Map<String, String> inBatch = new HashMap<>();

    public LastEvents(RedissonClient redis, StreamLayout layout, long ttlMillis, int inboxMaxLength, WebhookFacts webhooks) {
        this.webhooks = webhooks;
        this.redis = redis;
        this.layout = layout;
        this.ttlMillis = ttlMillis;
        this.inboxMaxLength = inboxMaxLength;
    }

    /** Starts a batch: reads, in one round trip, the last events of the channels asked about. */
    public void load(Set<String> cacheKeys) {
        inBatch.clear();
        if (cacheKeys.isEmpty()) {
            return;
        }
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        Map<String, RFuture<String>> reads = new HashMap<>();
        for (String key : cacheKeys) {
            reads.put(key, batch.<String>getBucket(key, StringCodec.INSTANCE).getAsync());
        }
        batch.execute();
        reads.forEach((key, read) -> {
            String value = read.toCompletableFuture().join();
            if (value != null) {
                inBatch.put(key, value);
            }
        });
    }

    public void published(int shard, Publication publication, FencedWrites writes) {
        String key = layout.cache(publication.app(), publication.channel());
        String value = new JsonObject().put("event", publication.event()).put("data", publication.data()).encode();
        inBatch.put(key, value);
        writes.setExpiring(shard, key, value, ttlMillis);
    }

    public void answer(int shard, CacheRequest request, FencedWrites writes) {
        String value = inBatch.get(layout.cache(request.app(), request.channel()));
        CacheAnswer answer = value == null
                ? new CacheAnswer(request.app(), request.channel(), request.socketId(), null, null)
                : new CacheAnswer(request.app(), request.channel(), request.socketId(),
                        new JsonObject(value).getString("event"), new JsonObject(value).getString("data"));
        writes.deliver(shard, layout.inboxOfShard(request.gatewayId(), shard), inboxMaxLength, EnvelopeCodec.encode(answer));
        if (value == null) {
            webhooks.append(shard, WebhookFact.cacheMiss(request.app(), request.channel()), writes);
        }
    }
}
