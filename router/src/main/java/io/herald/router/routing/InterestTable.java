package io.herald.router.routing;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;

import io.herald.streams.InterestChange;
import io.herald.streams.StreamLayout;

/**
 * Which gateways have subscribers on each channel, as far as this router's shards are concerned.
 * Redis holds the truth (one set per channel, written only by the channel's router); this table
 * caches it, loading a channel's set the first time the router meets the channel. Only the
 * routing loop touches it, one batch at a time.
 */
final class InterestTable {

    /** Past this many cached channels the cache starts over rather than grow without bound. */
    private static final int MAX_CACHED_CHANNELS = 200_000;

    private final RedissonClient redis;
    private final StreamLayout layout;
    private final Map<String, Set<String>> gatewaysByChannel = new HashMap<>();

    InterestTable(RedissonClient redis, StreamLayout layout) {
        this.redis = redis;
        this.layout = layout;
    }

    /** Loads, in one round trip, the interest sets of the given channel keys not cached yet. */
    CompletionStage<Void> load(Set<String> channelKeys) {
        if (gatewaysByChannel.size() + channelKeys.size() > MAX_CACHED_CHANNELS) {
            gatewaysByChannel.clear();
        }
        List<String> missing = channelKeys.stream().filter(key -> !gatewaysByChannel.containsKey(key)).toList();
        if (missing.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        Map<String, RFuture<Set<Object>>> reads = new HashMap<>();
        for (String key : missing) {
            reads.put(key, batch.getSet(key).readAllAsync());
        }
        return batch.executeAsync().thenAccept(ignored -> reads.forEach((key, read) -> {
            Set<String> gateways = new HashSet<>();
            read.toCompletableFuture().join().forEach(gateway -> gateways.add((String) gateway));
            gatewaysByChannel.put(key, gateways);
        }));
    }

    /** @return the gateways with subscribers on the channel; the channel must have been loaded */
    Set<String> gateways(String channelKey) {
        return gatewaysByChannel.getOrDefault(channelKey, Set.of());
    }

    /** Applies a change to the cache and adds its write to the batch that persists it. */
    void apply(InterestChange change, RBatch writes) {
        String key = layout.interest(change.app(), change.channel());
        Set<String> gateways = gatewaysByChannel.computeIfAbsent(key, k -> new HashSet<>());
        if (change.interested()) {
            gateways.add(change.gatewayId());
            writes.getSet(key).addAsync(change.gatewayId());
        } else {
            gateways.remove(change.gatewayId());
            writes.getSet(key).removeAsync(change.gatewayId());
        }
    }
}
