package io.herald.router.routing;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.router.ShardCaches;
import io.herald.streams.InterestChange;
import io.herald.streams.StreamLayout;
import io.herald.streams.WebhookFact;

/**
 * Which gateways have subscribers on each channel of the shards this router owns. Redis holds
 * the truth (one set per channel, written only by the owner of the channel's shard, through
 * {@link FencedWrites}); this table caches it per shard, loading a channel's set the first time
 * the router meets the channel, and forgetting a shard's entries when ownership changes.
 * A channel's set goes from empty to not empty exactly when the cluster's first subscriber
 * arrives (a gateway announces interest with its first subscriber and withdraws it with its
 * last), so that is where {@code channel_occupied} and {@code channel_vacated} are decided.
 * Used by one thread at a time: the routing thread, or the event loop of {@link LoopTurns}.
 */
final class InterestTable {

    /** Past this many cached channels in a shard, its cache starts over rather than grow without bound. */
    private static final int MAX_CACHED_CHANNELS_PER_SHARD = 50_000;

    private final RedissonClient redis;
    private final StreamLayout layout;
    private final WebhookFacts webhooks;
    private final Map<Integer, Map<String, Set<String>>> gatewaysByChannelByShard = new HashMap<>();

    InterestTable(RedissonClient redis, StreamLayout layout, WebhookFacts webhooks) {
        this.redis = redis;
        this.layout = layout;
        this.webhooks = webhooks;
    }

    /** Whether {@link #load} of these channels would read nothing: all cached, and the cache not starting over. */
    boolean isCached(Map<Integer, Set<String>> interestKeysByShard) {
        return ShardCaches.covers(gatewaysByChannelByShard, interestKeysByShard, MAX_CACHED_CHANNELS_PER_SHARD);
    }

    /** Loads, in one round trip, the interest sets of the given channels that are not cached yet. */
    void load(Map<Integer, Set<String>> interestKeysByShard) {
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        Map<Integer, Map<String, RFuture<Set<String>>>> reads = new HashMap<>();
        interestKeysByShard.forEach((shard, keys) -> {
            Map<String, Set<String>> cached = shard(shard);
            if (cached.size() + keys.size() > MAX_CACHED_CHANNELS_PER_SHARD) {
                cached.clear();
            }
            for (String key : keys) {
                if (!cached.containsKey(key)) {
                    reads.computeIfAbsent(shard, s -> new HashMap<>())
                            .put(key, batch.<String>getSet(key, StringCodec.INSTANCE).readAllAsync());
                }
            }
        });
        if (reads.isEmpty()) {
            return;
        }
        batch.execute();
        reads.forEach((shard, byKey) -> byKey.forEach(
                (key, read) -> shard(shard).put(key, new HashSet<>(read.toCompletableFuture().join()))));
    }

    /** The gateways with subscribers on the channel; the channel must have been loaded. */
    Set<String> gateways(int shard, String interestKey) {
        return shard(shard).getOrDefault(interestKey, Set.of());
    }

    /**
     * Applies a change to the cache and adds the write that persists it, and the channel's
     * occupied or vacated webhook fact when it is one.
     *
     * @return true when the channel went from no gateway to some, or from some to none
     */
    boolean apply(int shard, InterestChange change, FencedWrites writes) {
        String key = layout.interest(change.app(), change.channel());
        Set<String> gateways = shard(shard).computeIfAbsent(key, k -> new HashSet<>());
        boolean flipped = change.interested() ? gateways.isEmpty() : gateways.equals(Set.of(change.gatewayId()));
        if (flipped) {
            // Before the set changes: should Redis abort the script between the two (it does not
            // roll a script back), the replay finds the set unchanged and decides the fact again,
            // where the other order would lose it.
            webhooks.append(shard, WebhookFact.occupancy(change.app(), change.channel(), change.interested()), writes);
        }
        if (change.interested()) {
            gateways.add(change.gatewayId());
            writes.addInterest(shard, key, change.gatewayId());
        } else {
            gateways.remove(change.gatewayId());
            writes.removeInterest(shard, key, change.gatewayId());
        }
        return flipped;
    }

    /** Removes a dead gateway from the cached channels of a shard and adds the write that persists it. */
    void forgetGateway(int shard, String gateway, Set<String> interestKeys, FencedWrites writes) {
        shard(shard).values().forEach(gateways -> gateways.remove(gateway));
        writes.forgetGateway(shard, gateway, interestKeys);
    }

    /** Forgets a shard's cache, for when another router may have written its interest sets. */
    void dropShard(int shard) {
        gatewaysByChannelByShard.remove(shard);
    }

    /** Forgets everything cached: after a failure the cache may hold changes Redis never got. */
    void clear() {
        gatewaysByChannelByShard.clear();
    }

    private Map<String, Set<String>> shard(int shard) {
        return gatewaysByChannelByShard.computeIfAbsent(shard, s -> new HashMap<>());
    }
}
