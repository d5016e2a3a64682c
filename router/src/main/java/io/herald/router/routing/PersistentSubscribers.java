package io.herald.router.routing;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntBiFunction;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.router.ShardCaches;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.PersistentSubscription;
import io.herald.streams.Position;
import io.herald.streams.Publication;
import io.herald.streams.Retention;
import io.herald.streams.StreamLayout;
import io.vertx.core.json.JsonObject;

/**
 * The users subscribed on the server side to each channel of the shards this router owns, and
 * the copies their personal streams get. Redis holds the truth ({@code persistent:{app}:{channel}},
 * user to what the user's stream keeps of a copy, and the user's index of channels), written only
 * by the channel's router through {@link FencedWrites}; this table caches it per shard like
 * {@link InterestTable}, and is dropped with it. Used by one thread at a time (see {@link InterestTable}).
 *
 * <p>A copy is appended to the user channel's shard stream in the same fenced script as the
 * batch's acknowledgement, so a batch replayed after a failure that Redis never applied copies
 * again exactly once; only a script that Redis aborted half way (an out-of-memory refusal) may
 * leave a copy that its replay repeats, which clients recognise by the source position in it.
 */
final class PersistentSubscribers {

    /** The event of a copy in the user's personal stream. */
    static final String CHANNEL_EVENT = "herald:channel_event";

    private static final String USER_STREAM_PREFIX = "#server-to-user-";
    private static final int MAX_CACHED_CHANNELS_PER_SHARD = 50_000;

    private final RedissonClient redis;
    private final StreamLayout layout;
    private final ToIntBiFunction<String, String> shardOf;
    private final Map<Integer, Map<String, Map<String, Retention>>> usersByChannelByShard = new HashMap<>();

    PersistentSubscribers(RedissonClient redis, StreamLayout layout, ToIntBiFunction<String, String> shardOf) {
        this.redis = redis;
        this.layout = layout;
        this.shardOf = shardOf;
    }

    /** Whether a channel may have persistent subscribers: users' and Herald's own channels may not. */
    static boolean mayHaveSubscribers(String channel) {
        return !channel.startsWith("#");
    }

    /** Whether {@link #load} of these keys would read nothing: all cached, and the cache not starting over. */
    boolean isCached(Map<Integer, Set<String>> keysByShard) {
        return ShardCaches.covers(usersByChannelByShard, keysByShard, MAX_CACHED_CHANNELS_PER_SHARD);
    }

    /** Loads, in one round trip, the subscriber hashes of the given keys that are not cached yet. */
    void load(Map<Integer, Set<String>> keysByShard) {
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        Map<Integer, Map<String, RFuture<Map<String, String>>>> reads = new HashMap<>();
        keysByShard.forEach((shard, keys) -> {
            Map<String, Map<String, Retention>> cached = shard(shard);
            if (cached.size() + keys.size() > MAX_CACHED_CHANNELS_PER_SHARD) {
                cached.clear();
            }
            for (String key : keys) {
                if (!cached.containsKey(key)) {
                    reads.computeIfAbsent(shard, s -> new HashMap<>())
                            .put(key, batch.<String, String>getMap(key, StringCodec.INSTANCE).readAllMapAsync());
                }
            }
        });
        if (reads.isEmpty()) {
            return;
        }
        batch.execute();
        reads.forEach((shard, byKey) -> byKey.forEach((key, read) -> {
            Map<String, Retention> users = new HashMap<>();
            read.toCompletableFuture().join().forEach((user, kept) -> users.put(user, decode(kept)));
            shard(shard).put(key, users);
        }));
    }

    /** Applies a subscription change to the cache and adds the writes that persist it. */
    void apply(int shard, PersistentSubscription change, FencedWrites writes) {
        String key = layout.persistentSubscribers(change.app(), change.channel());
        Map<String, Retention> users = shard(shard).computeIfAbsent(key, k -> new HashMap<>());
        String index = layout.userSubscriptions(change.app(), change.userId(), layout.groupOf(change.app(), change.channel()));
        if (change.subscribed()) {
            users.put(change.userId(), change.userChannelRetention());
            writes.setField(shard, key, change.userId(), encode(change.userChannelRetention()));
            writes.addToSet(shard, index, change.channel());
        } else {
            users.remove(change.userId());
            writes.removeField(shard, key, change.userId());
            writes.removeFromSet(shard, index, change.channel());
        }
    }

    /**
     * Adds, for each persistent subscriber of the publication's channel, the append of a copy to
     * the user's personal stream: event {@value #CHANNEL_EVENT}, data {@code {"channel","event","data",
     * "herald":{"epoch","offset"}}} with the publication's position in its channel.
     */
    void copy(int shard, Publication publication, Position position, FencedWrites writes) {
        Map<String, Retention> users = shard(shard).get(layout.persistentSubscribers(publication.app(), publication.channel()));
        if (users == null || users.isEmpty()) {
            return;
        }
        JsonObject copied = new JsonObject().put("channel", publication.channel()).put("event", publication.event())
                .put("data", publication.data());
        if (position != null) {
            copied.put("herald", new JsonObject().put("epoch", position.epoch()).put("offset", position.offset()));
        }
        String data = copied.encode();
        users.forEach((user, kept) -> {
            String userStream = USER_STREAM_PREFIX + user;
            writes.appendToShard(shard, shardOf.applyAsInt(publication.app(), userStream), EnvelopeCodec.encode(
                    new Publication(publication.app(), userStream, CHANNEL_EVENT, data, null, null, kept)));
        });
    }

    /** Forgets a shard's cache, for when another router may have written its hashes. */
    void dropShard(int shard) {
        usersByChannelByShard.remove(shard);
    }

    /** Forgets everything cached: after a failure the cache may hold changes Redis never got. */
    void clear() {
        usersByChannelByShard.clear();
    }

    private Map<String, Map<String, Retention>> shard(int shard) {
        return usersByChannelByShard.computeIfAbsent(shard, s -> new HashMap<>());
    }

    private static String encode(Retention kept) {
        return kept.historySize() + "," + kept.historyTtlSeconds() + "," + kept.archiveSeconds();
    }

    private static Retention decode(String kept) {
        String[] parts = kept.split(",");
        return new Retention(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
    }
}
