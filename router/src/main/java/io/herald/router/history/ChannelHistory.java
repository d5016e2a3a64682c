package io.herald.router.history;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

import io.herald.router.routing.FencedWrites;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.HistoryEvent;
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
 * cache and it reloads what Redis really holds. Recovery requests are answered from the history
 * read at the start of the batch, overlaid with the batch's own events, so an answer holds
 * exactly the events before the request in channel order. Used by the routing thread only.
 */
public final class ChannelHistory {

    /** Past this many cached channels in a shard, its cache starts over rather than grow without bound. */
    private static final int MAX_CACHED_CHANNELS_PER_SHARD = 50_000;

    /** A gap longer than this is not recovered, whatever the rule keeps: one answer stays a bounded entry. */
    static final int MAX_RECOVERED_EVENTS = 10_000;

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
    /** Per channel in this batch: its history read at the start of the batch, after the lowest requested offset. */
    private final Map<Channel, List<HistoryEvent>> read = new HashMap<>();
    /** Per channel in this batch: the events this batch added to its history. */
    private final Map<Channel, List<HistoryEvent>> added = new HashMap<>();
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

    /**
     * Starts a batch: loads, in one round trip, the position records of the given channels that
     * are not cached, and the history each recovery request needs.
     */
    public void load(Map<Integer, Set<Channel>> channelsByShard, List<RecoveryRequest> requests) {
        read.clear();
        added.clear();
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
        Map<Channel, Long> lowest = new HashMap<>();
        for (RecoveryRequest request : requests) {
            if (request.since() != null) {
                lowest.merge(new Channel(request.app(), request.channel()), request.since().offset(), Math::min);
            }
        }
        Map<Channel, RFuture<Map<StreamMessageId, Map<String, String>>>> historyReads = new HashMap<>();
        lowest.forEach((channel, after) -> historyReads.put(channel,
                batch.<String, String>getStream(layout.history(channel.app(), channel.channel()), StringCodec.INSTANCE)
                        .rangeAsync(MAX_RECOVERED_EVENTS + 1, new StreamMessageId(after + 1, 0), StreamMessageId.MAX)));
        if (positionReads.isEmpty() && historyReads.isEmpty()) {
            return;
        }
        batch.execute();
        positionReads.forEach((shard, byChannel) -> byChannel.forEach((channel, future) -> {
            Map<String, String> record = future.toCompletableFuture().join();
            shard(shard).put(channel, record.get("epoch") == null || record.get("offset") == null ? null
                    : new Position(record.get("epoch"), Long.parseLong(record.get("offset"))));
        }));
        historyReads.forEach((channel, future) -> {
            List<HistoryEvent> events = new ArrayList<>();
            future.toCompletableFuture().join().forEach((id, fields) -> events.add(
                    new HistoryEvent(id.getId0(), fields.get("event"), fields.get("data"), fields.get("user_id"))));
            read.put(channel, events);
        });
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
            added.computeIfAbsent(channel, c -> new ArrayList<>())
                    .add(new HistoryEvent(next.offset(), publication.event(), publication.data(), publication.userId()));
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
     * Answers a recovery request with the channel's position and, when history holds every event
     * after the requested position, those events.
     */
    public void answer(int shard, RecoveryRequest request, FencedWrites writes) {
        Channel channel = new Channel(request.app(), request.channel());
        Position current = current(shard, channel, writes);
        List<HistoryEvent> missed = List.of();
        boolean recovered = true;
        Position since = request.since();
        if (since != null) {
            missed = missed(channel, since, current);
            recovered = missed != null;
            if (missed == null) {
                missed = List.of();
            }
        }
        writes.deliver(shard, layout.inbox(request.gatewayId()), inboxMaxLength, EnvelopeCodec.encode(
                new RecoveryAnswer(request.app(), request.channel(), request.socketId(), current, recovered, missed)));
    }

    /** The events after {@code since} up to {@code current}, or null when they are not all known. */
    private List<HistoryEvent> missed(Channel channel, Position since, Position current) {
        if (!since.epoch().equals(current.epoch()) || since.offset() > current.offset()) {
            return null;
        }
        long gap = current.offset() - since.offset();
        if (gap == 0) {
            return List.of();
        }
        if (gap > MAX_RECOVERED_EVENTS) {
            return null;
        }
        List<HistoryEvent> events = new ArrayList<>((int) gap);
        for (List<HistoryEvent> source : List.of(read.getOrDefault(channel, List.of()), added.getOrDefault(channel, List.of()))) {
            for (HistoryEvent event : source) {
                if (event.offset() > since.offset() && event.offset() <= current.offset()
                        && (events.isEmpty() || event.offset() > events.get(events.size() - 1).offset())) {
                    events.add(event);
                }
            }
        }
        boolean complete = events.size() == gap && events.get(0).offset() == since.offset() + 1;
        return complete ? events : null;
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
