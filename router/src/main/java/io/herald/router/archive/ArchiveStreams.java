package io.herald.router.archive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

import io.herald.streams.ConsumerGroups;
import io.herald.streams.StreamLayout;

/**
 * The Redis side of the archive: the archive streams of the shards this router owns, read through
 * the consumer group {@link StreamLayout#ARCHIVE_GROUP}. An entry leaves its stream only once
 * MongoDB holds it ({@link #archived}), so a stream's length is its shard's unarchived backlog.
 */
final class ArchiveStreams {

    /** Acknowledges and deletes together: an entry acknowledged but left in the stream would count as backlog forever. */
    private static final String ACK_AND_DELETE = """
            redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2))
            return redis.call('XDEL', KEYS[1], unpack(ARGV, 2))
            """;

    private final RedissonClient redis;
    private final StreamLayout layout;
    private final String me;

    ArchiveStreams(RedissonClient redis, StreamLayout layout, String me) {
        this.redis = redis;
        this.layout = layout;
        this.me = me;
    }

    /** Makes a newly owned shard's stream readable and takes over what its previous archiver left pending. */
    void adopt(int shard) {
        RStream<String, String> stream = stream(shard);
        ConsumerGroups.createIfMissing(stream, StreamLayout.ARCHIVE_GROUP);
        ConsumerGroups.takeOverPending(stream, StreamLayout.ARCHIVE_GROUP, me);
    }

    /**
     * Reads this archiver's pending entries (read before and not yet archived) when
     * {@code pending}, else new ones, waiting up to {@code block} for them. {@code XREADGROUP}
     * counts per stream, so the budget is shared out: at most {@code count} entries in all (at
     * least one per shard). One read over every shard's full backlog was seen to outlast the
     * Redis client's response timeout, and its retry to fail the same way for ever.
     *
     * @return per shard, its entries in stream order; shards without entries are left out
     */
    Map<Integer, Map<StreamMessageId, Map<String, String>>> read(List<Integer> shards, boolean pending, int count,
            Duration block) {
        int perShard = perShard(count, shards.size());
        StreamMessageId from = pending ? new StreamMessageId(0, 0) : StreamMessageId.NEVER_DELIVERED;
        Map<String, Integer> shardByStream = new LinkedHashMap<>();
        Map<Integer, List<String>> streamsByGroup = new TreeMap<>();
        for (int shard : shards) {
            shardByStream.put(layout.archive(shard), shard);
            streamsByGroup.computeIfAbsent(layout.groupOf(shard), g -> new ArrayList<>()).add(layout.archive(shard));
        }
        Map<String, Map<StreamMessageId, Map<String, String>>> read = ConsumerGroups.read(redis, streamsByGroup.values(),
                StreamLayout.ARCHIVE_GROUP, me, from, perShard, pending ? Optional.empty() : Optional.of(block));
        Map<Integer, Map<StreamMessageId, Map<String, String>>> byShard = new TreeMap<>();
        if (read != null) {
            read.forEach((stream, entries) -> {
                if (entries != null && !entries.isEmpty()) {
                    byShard.put(shardByStream.get(stream), entries);
                }
            });
        }
        return byShard;
    }

    /** How many entries {@link #read} takes from each of that many shards at most. */
    static int perShard(int count, int shards) {
        return Math.max(1, count / shards);
    }

    /** Removes entries that MongoDB holds, all shards in one round trip. */
    void archived(Map<Integer, ? extends Collection<StreamMessageId>> idsByShard) {
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        idsByShard.forEach((shard, ids) -> {
            List<Object> arguments = new ArrayList<>(ids.size() + 1);
            arguments.add(StreamLayout.ARCHIVE_GROUP);
            ids.forEach(id -> arguments.add(id.toString()));
            batch.getScript(StringCodec.INSTANCE).evalAsync(RScript.Mode.READ_WRITE, ACK_AND_DELETE, RScript.ReturnType.LONG,
                    List.of(layout.archive(shard)), arguments.toArray());
        });
        batch.execute();
    }

    /** Each shard's unarchived entries ({@code XLEN}), in one round trip. */
    Map<Integer, Long> backlogs(Collection<Integer> shards) {
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        Map<Integer, RFuture<Long>> sizes = new TreeMap<>();
        for (int shard : shards) {
            sizes.put(shard, batch.<String, String>getStream(layout.archive(shard), StringCodec.INSTANCE).sizeAsync());
        }
        batch.execute();
        Map<Integer, Long> backlogs = new TreeMap<>();
        sizes.forEach((shard, size) -> backlogs.put(shard, size.toCompletableFuture().join()));
        return backlogs;
    }

    private RStream<String, String> stream(int shard) {
        return redis.getStream(layout.archive(shard), StringCodec.INSTANCE);
    }
}
