package io.herald.router.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jboss.logging.Logger;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

import io.herald.router.RouterMetrics;
import io.herald.router.ownership.OrphanedReads;
import io.herald.router.ownership.ShardOwnership;
import io.herald.streams.ConsumerGroups;
import io.herald.streams.RedisDisconnects;
import io.herald.streams.StreamLayout;

/**
 * What the routing loop reads next from the shard streams it owns (consumer group
 * {@code routers}): first, without blocking, the pending entries of shards being taken over or
 * replayed (this router's history, id 0); once none is left, new entries of all owned shards,
 * blocking. Kept apart from the loop because it is where a router's reads can go astray: a read
 * Redis ran but whose answer never came back leaves entries pending to this router that nobody
 * routes ({@link OrphanedReads}). While that may have happened, a read of new entries is followed
 * by one of everything pending, so the orphans come along in order; and now and then every owned
 * shard is replayed as a backstop, with whatever it still had pending counted as orphans found.
 */
final class ShardReads {

    private static final Logger LOG = Logger.getLogger(ShardReads.class);
    /** How long a read of new entries blocks on one Redis: the longest a quiet router goes without a turn. */
    static final Duration READ_TIMEOUT = Duration.ofMillis(250);
    /** How long each of several slot groups' reads blocks: the latency a quiet group may add to a busy one's. */
    private static final Duration GROUP_READ_TIMEOUT = Duration.ofMillis(10);
    /** Read from here, a group read answers this consumer's pending entries instead of new ones. */
    private static final StreamMessageId PENDING_FROM_START = new StreamMessageId(0, 0);

    private final RedissonClient redis;
    private final StreamLayout layout;
    private final String consumer;
    private final int batchSize;
    private final ShardOwnership ownership;
    private final RedisDisconnects disconnects;
    private final RouterMetrics metrics;
    private final Map<String, Integer> shardByStream;
    private final OrphanedReads orphans = new OrphanedReads(System.nanoTime());
    private long disconnectsSeen;
    /** The shards whose replay a check for orphaned reads started, where pending entries are orphans. */
    private final Set<Integer> checking = new TreeSet<>();

    ShardReads(RedissonClient redis, StreamLayout layout, String consumer, int batchSize, ShardOwnership ownership,
            RedisDisconnects disconnects, RouterMetrics metrics, Map<String, Integer> shardByStream) {
        this.redis = redis;
        this.layout = layout;
        this.consumer = consumer;
        this.batchSize = batchSize;
        this.ownership = ownership;
        this.disconnects = disconnects;
        this.metrics = metrics;
        this.shardByStream = shardByStream;
    }

    /** A turn failed: reads issued before it may have run, or may still run, unseen. */
    void interrupted() {
        orphans.interrupted(System.nanoTime());
    }

    /**
     * Starts replaying every owned shard if a check for orphaned reads is due; whatever a shard
     * not already replaying still has pending is then an orphan. Returns whether it started.
     */
    boolean checkForOrphansIfDue() {
        if (!orphans.checkDue(System.nanoTime())) {
            return false;
        }
        checking.clear();
        checking.addAll(ownership.epochs().keySet());
        checking.removeAll(ownership.replaying());
        ownership.replayAll();
        return true;
    }

    /**
     * Whether the next read would be a plain read of new entries, as {@link #readNext} makes it:
     * no shard replaying, no read possibly orphaned, no check for orphans due, no reconnect since
     * the last read.
     */
    boolean freshOnly(long now) {
        return ownership.replaying().isEmpty() && !orphans.suspect(now) && !orphans.checkWanted(now)
                && disconnects.count() == disconnectsSeen;
    }

    /** Adds to a pipeline the read {@link #read} makes in the steady state: new entries of every owned shard, blocking. */
    RFuture<Map<String, Map<StreamMessageId, Map<String, String>>>> readNext(RBatch batch) {
        List<String> streams = ownership.epochs().keySet().stream().map(layout::shardStream).toList();
        return batch.<String, String>getStream(streams.get(0), StringCodec.INSTANCE).readGroupAsync(StreamLayout.ROUTER_GROUP,
                consumer, ConsumerGroups.readArgs(streams, StreamMessageId.NEVER_DELIVERED, batchSize, Optional.of(READ_TIMEOUT)));
    }

    /** Reads the next batch (see the class comment). */
    Map<String, Map<StreamMessageId, Map<String, String>>> read() {
        if (!ownership.replaying().isEmpty()) {
            return replay(Set.copyOf(ownership.replaying()));
        }
        Map<String, Map<StreamMessageId, Map<String, String>>> fresh = readGroup(ownership.epochs().keySet(),
                StreamMessageId.NEVER_DELIVERED, true);
        if (disconnects.count() != disconnectsSeen) {
            disconnectsSeen = disconnects.count();
            orphans.interrupted(System.nanoTime());
        }
        if (!orphans.suspect(System.nanoTime())) {
            return fresh;
        }
        Map<String, Map<StreamMessageId, Map<String, String>>> pending = readGroup(ownership.epochs().keySet(),
                PENDING_FROM_START, false);
        pending.forEach((stream, entries) -> {
            Map<StreamMessageId, Map<String, String>> read = fresh.getOrDefault(stream, Map.of());
            long orphaned = entries.keySet().stream().filter(id -> !read.containsKey(id)).count();
            if (orphaned > 0) {
                metrics.orphansFound(orphaned);
                LOG.warnf("Shard %d had %d entries pending to this router that none of its reads returned (a read Redis "
                        + "ran after the router gave up on it); routing them now, in order", shardByStream.get(stream), orphaned);
            }
        });
        return pending;
    }

    /** The pending entries of the shards replaying; a shard with none left has replayed. */
    private Map<String, Map<StreamMessageId, Map<String, String>>> replay(Set<Integer> replaying) {
        Map<String, Map<StreamMessageId, Map<String, String>>> batch = readGroup(replaying, PENDING_FROM_START, false);
        for (int shard : replaying) {
            Map<StreamMessageId, Map<String, String>> entries = batch.get(layout.shardStream(shard));
            if (entries == null || entries.isEmpty()) {
                ownership.replayed(shard);
                checking.remove(shard);
            } else if (checking.remove(shard)) {
                metrics.orphansFound(entries.size());
                LOG.warnf("Shard %d had %d entries pending to this router that none of its reads returned (a read "
                        + "Redis ran after the router gave up on it); routing them now, after newer ones", shard, entries.size());
            }
        }
        return batch;
    }

    /**
     * One {@code XREADGROUP} per slot group over its shards' streams, from {@code from}, all in
     * flight at once; blocking up to {@link #READ_TIMEOUT} if asked, or {@link #GROUP_READ_TIMEOUT}
     * when several groups are read: the turn waits for every read, and one group's quiet must
     * not hold up another's entries for long. On one Redis there is one group and one read.
     */
    private Map<String, Map<StreamMessageId, Map<String, String>>> readGroup(Set<Integer> shards, StreamMessageId from,
            boolean block) {
        Map<Integer, List<String>> streamsByGroup = new TreeMap<>();
        for (int shard : shards) {
            streamsByGroup.computeIfAbsent(layout.groupOf(shard), g -> new ArrayList<>()).add(layout.shardStream(shard));
        }
        Duration timeout = streamsByGroup.size() > 1 ? GROUP_READ_TIMEOUT : READ_TIMEOUT;
        return ConsumerGroups.read(redis, streamsByGroup.values(), StreamLayout.ROUTER_GROUP, consumer, from, batchSize,
                block ? Optional.of(timeout) : Optional.empty());
    }
}
