package io.herald.router.history;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.router.ShardCaches;
import io.herald.router.routing.FencedWrites;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.Position;
import io.herald.streams.Publication;
import io.herald.streams.RecoveryAnswer;
import io.herald.streams.RecoveryRequest;
import io.herald.streams.StreamLayout;

/**
 * Positions and hot history of the channels in this router's shards. The channel's router is the
 * only writer of both, so positions are handed out here, in channel order, from a cache loaded
 * from Redis on a miss, and persisted by the same fenced script as the deliveries that carry
 * them: a batch that fails is replayed with the same positions, since the caller then drops this
 * cache and it reloads what Redis really holds. A recovery request is answered with the channel's
 * position at the request's place in channel order; the gateway reads the missed events from the
 * history, which the same fenced write brings up to that position (see {@link RecoveryAnswer}).
 * Used by one thread at a time: the routing thread, or the Redis client's event loop while the
 * routing thread waits for it ({@code LoopTurns}).
 */
public final class ChannelHistory {

    /** Past this many cached channels in a shard, its cache starts over rather than grow without bound. */
    private static final int MAX_CACHED_CHANNELS_PER_SHARD = 50_000;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String EPOCH_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    /** A channel of an app: what positions and history are kept for. */
    public record Channel(String app, String channel) {
    }

    private final RedissonClient redis;
    private final StreamLayout layout;
    private final long positionTtlMillis;
    private final int inboxMaxLength;
    private final int archiveBudget;
    private final Map<Integer, Map<Channel, Position>> positionsByShard = new HashMap<>();
    /** The channels whose position record this batch changed, with the longest history TTL asked for. */
    private final Map<Channel, Long> touched = new LinkedHashMap<>();
    private final Map<Channel, Integer> shardOfTouched = new HashMap<>();

    public ChannelHistory(RedissonClient redis, StreamLayout layout, long positionTtlMillis, int inboxMaxLength,
            int archiveBudget) {
        this.redis = redis;
        this.layout = layout;
        this.positionTtlMillis = positionTtlMillis;
        this.inboxMaxLength = inboxMaxLength;
        this.archiveBudget = archiveBudget;
    }

    /** Whether {@link #load} of these channels would read nothing: all cached, and the cache not starting over. */
    public boolean isCached(Map<Integer, Set<Channel>> channelsByShard) {
        return ShardCaches.covers(positionsByShard, channelsByShard, MAX_CACHED_CHANNELS_PER_SHARD);
    }

    /** Starts a batch: loads, in one round trip, the position records of the given channels that are not cached. */
    public void load(Map<Integer, Set<Channel>> channelsByShard) {
        touched.clear();
        shardOfTouched.clear();
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        Map<Integer, Map<Channel, RFuture<Map<String, String>>>> positionReads = new HashMap<>();
        channelsByShard.forEach((shard, channels) -> {
            Map<Channel, Position> cached = shard(shard);
            if (cached.size() + channels.size() > MAX_CACHED_CHANNELS_PER_SHARD) {
                cached.clear();
            }
            for (Channel channel : channels) {
                if (!cached.containsKey(channel)) {
                    positionReads.computeIfAbsent(shard, s -> new HashMap<>()).put(channel,
                            batch.<String, String>getMap(layout.position(channel.app(), channel.channel()), StringCodec.INSTANCE)
                                    .getAllAsync(Set.of("epoch", "offset")));
                }
            }
        });
        if (positionReads.isEmpty()) {
            return;
        }
        batch.execute();
        positionReads.forEach((shard, byChannel) -> byChannel.forEach((channel, future) -> {
            Map<String, String> record = future.toCompletableFuture().join();
            shard(shard).put(channel, record.get("epoch") == null || record.get("offset") == null ? null
                    : new Position(record.get("epoch"), Long.parseLong(record.get("offset"))));
        }));
    }

    /**
     * Gives the publication the next position of its channel, and adds the writes that record it
     * and keep the event in the channel's history and, by its rule, in the archive queue.
     */
    public Position publish(int shard, Publication publication, long routedAtMillis, FencedWrites writes) {
        Channel channel = new Channel(publication.app(), publication.channel());
        Position next = current(shard, channel, writes).next();
        shard(shard).put(channel, next);
        touch(shard, channel, publication.retention().keepsHistory() ? publication.retention().historyTtlSeconds() * 1000L : 0);
        if (publication.retention().keepsHistory()) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("event", publication.event());
            fields.put("data", publication.data());
            if (publication.userId() != null) {
                fields.put("user_id", publication.userId());
            }
            writes.appendHistory(shard, layout.history(channel.app(), channel.channel()), next.offset(),
                    publication.retention().historySize(), fields);
        }
        if (publication.retention().archives()) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("app", channel.app());
            fields.put("channel", channel.channel());
            fields.put("epoch", next.epoch());
            fields.put("offset", Long.toString(next.offset()));
            fields.put("event", publication.event());
            fields.put("data", publication.data());
            if (publication.userId() != null) {
                fields.put("user_id", publication.userId());
            }
            fields.put("retention", Long.toString(publication.retention().archiveSeconds()));
            fields.put("at", Long.toString(routedAtMillis));
            writes.deliver(shard, layout.archive(shard), archiveBudget, fields);
        }
        return next;
    }

    /**
     * Answers a recovery request with the channel's position and whether the events after the
     * requested one may be recovered: same epoch, not ahead of the channel, a bounded gap. Whether
     * history still holds them all is for the gateway to find when it reads them.
     */
    public void answer(int shard, RecoveryRequest request, FencedWrites writes) {
        Channel channel = new Channel(request.app(), request.channel());
        Position current = current(shard, channel, writes);
        Position since = request.since();
        boolean recovered = since == null || (since.epoch().equals(current.epoch()) && since.offset() <= current.offset()
                && current.offset() - since.offset() <= RecoveryAnswer.MAX_RECOVERED_EVENTS);
        writes.deliver(shard, layout.inboxOfShard(request.gatewayId(), shard), inboxMaxLength, EnvelopeCodec.encode(
                new RecoveryAnswer(request.app(), request.channel(), request.socketId(), since, current, recovered, List.of())));
    }

    /**
     * Ends a batch: one write per changed channel records its position, and renews its record's
     * and its history's expiry.
     */
    public void finish(FencedWrites writes) {
        touched.forEach((channel, historyTtlMillis) -> {
            int shard = shardOfTouched.get(channel);
            Position position = shard(shard).get(channel);
            writes.setPosition(shard, layout.position(channel.app(), channel.channel()), position.epoch(), position.offset(),
                    Math.max(positionTtlMillis, historyTtlMillis));
            if (historyTtlMillis > 0) {
                writes.expire(shard, layout.history(channel.app(), channel.channel()), historyTtlMillis);
            }
        });
    }

    /** The channel's last position; a channel without a record starts a new epoch, and its stale history goes. */
    private Position current(int shard, Channel channel, FencedWrites writes) {
        Position position = shard(shard).get(channel);
        if (position == null) {
            position = new Position(newEpoch(), 0);
            shard(shard).put(channel, position);
            writes.delete(shard, layout.history(channel.app(), channel.channel()));
            touch(shard, channel, 0);
        }
        return position;
    }

    private void touch(int shard, Channel channel, long historyTtlMillis) {
        touched.merge(channel, historyTtlMillis, Math::max);
        shardOfTouched.put(channel, shard);
    }

    /** Forgets a shard's cache, for when another router may have written its positions. */
    public void dropShard(int shard) {
        positionsByShard.remove(shard);
    }

    /** Forgets everything cached: after a failure the cache may hold positions Redis never got. */
    public void clear() {
        positionsByShard.clear();
    }

    private Map<Channel, Position> shard(int shard) {
        return positionsByShard.computeIfAbsent(shard, s -> new HashMap<>());
    }

    static String newEpoch() {
        StringBuilder epoch = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            epoch.append(EPOCH_ALPHABET.charAt(RANDOM.nextInt(EPOCH_ALPHABET.length())));
        }
        return epoch.toString();
    }
}
