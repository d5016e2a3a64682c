package io.herald.router.routing;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.streams.Delivery;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.Publication;
import io.herald.streams.StreamLayout;
import io.herald.streams.StreamOffset;
import io.herald.streams.SubscriptionCountChange;
import io.herald.streams.WebhookFact;

/**
 * Tells a channel's subscribers, on every gateway, how many connections are subscribed to it
 * ({@code pusher_internal:subscription_count}), and the app's webhooks ({@code subscription_count}),
 * when a gateway says its count changed. The count is the sum of the gateways' own counts in the
 * channel's subscriptions hash, read when the batch is routed: gateways append their change after
 * their count is in Redis, so the last count announced is never older than the last change. A
 * batch announces each channel once, however many changes it holds. Used by one thread at a time (see {@link InterestTable}).
 */
final class SubscriptionTotals {

    static final String EVENT = "pusher_internal:subscription_count";

    private final RedissonClient redis;
    private final StreamLayout layout;
    private final int inboxMaxLength;
    private final WebhookFacts webhooks;
    private final Map<String, Long> loaded = new HashMap<>();
    private final Set<String> announced = new HashSet<>();

    SubscriptionTotals(RedissonClient redis, StreamLayout layout, int inboxMaxLength, WebhookFacts webhooks) {
        this.redis = redis;
        this.layout = layout;
        this.inboxMaxLength = inboxMaxLength;
        this.webhooks = webhooks;
    }

    /** Starts a batch: reads, in one round trip, the counts of the channels whose count changed. */
    void load(Set<String> subscriptionKeys) {
        loaded.clear();
        announced.clear();
        if (subscriptionKeys.isEmpty()) {
            return;
        }
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        Map<String, RFuture<Collection<String>>> reads = new HashMap<>();
        for (String key : subscriptionKeys) {
            reads.put(key, batch.<String, String>getMap(key, StringCodec.INSTANCE).readAllValuesAsync());
        }
        batch.execute();
        reads.forEach((key, read) -> loaded.put(key, read.toCompletableFuture().join().stream().mapToLong(Long::parseLong).sum()));
    }

    /** @param gateways the gateways with subscribers on the channel */
    void announce(int shard, SubscriptionCountChange change, StreamOffset offset, Set<String> gateways, FencedWrites writes) {
        String key = layout.subscriptions(change.app(), change.channel());
        if (!announced.add(key)) {
            return;
        }
        long count = loaded.getOrDefault(key, 0L);
        Map<String, String> delivery = EnvelopeCodec.encode(new Delivery(new Publication(change.app(), change.channel(), EVENT,
                "{\"subscription_count\":" + count + "}", null), offset));
        for (String gateway : gateways) {
            writes.deliver(shard, layout.inboxOfShard(gateway, shard), inboxMaxLength, delivery);
        }
        webhooks.append(shard, WebhookFact.subscriptionCount(change.app(), change.channel(), count), writes);
    }
}
