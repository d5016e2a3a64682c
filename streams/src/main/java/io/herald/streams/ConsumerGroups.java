package io.herald.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.redisson.api.RFuture;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.FastAutoClaimResult;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamMultiReadGroupArgs;
import org.redisson.client.codec.StringCodec;

/**
 * What a new owner of a shard does to a stream it reads through a consumer group: make sure the
 * group exists, and take over what its previous reader left unacknowledged. Shared by the routing
 * loop (shard streams), the archiver (archive streams) and the gateways' webhook sender.
 */
public final class ConsumerGroups {

    private ConsumerGroups() {
    }

    /**
     * Creates the group (and the stream) unless it exists. The group starts at the stream's
     * beginning: entries appended before anyone read the stream are read too.
     */
    public static void createIfMissing(RStream<String, String> stream, String group) {
        try {
            stream.createGroup(StreamCreateGroupArgs.name(group).id(new StreamMessageId(0, 0)).makeStream());
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /**
     * Moves every entry read but not acknowledged by anyone into the consumer's pending list. The
     * previous owner is gone or fenced, so no idle time needs to pass first.
     */
    public static void takeOverPending(RStream<String, String> stream, String group, String consumer) {
        StreamMessageId cursor = new StreamMessageId(0, 0);
        do {
            FastAutoClaimResult result = stream.fastAutoClaim(group, consumer, 0, TimeUnit.MILLISECONDS, cursor, 1000);
            cursor = result.getNextId();
        } while (cursor.getId0() != 0 || cursor.getId1() != 0);
    }

    /** One {@code XREADGROUP} of {@code streams} (all in one slot) from {@code from}, sent to the first of them. */
    public static StreamMultiReadGroupArgs readArgs(List<String> streams, StreamMessageId from, int count,
            Optional<Duration> block) {
        Map<String, StreamMessageId> others = new LinkedHashMap<>();
        for (String stream : streams.subList(1, streams.size())) {
            others.put(stream, from);
        }
        StreamMultiReadGroupArgs args = StreamMultiReadGroupArgs.greaterThan(from, others).count(count);
        return block.isPresent() ? args.timeout(block.get()) : args;
    }

    /**
     * Reads the streams through the group from {@code from}, up to {@code count} entries per
     * stream: one {@code XREADGROUP} per slot group ({@code streamsByGroup}, each list in one slot),
     * all in flight at once, since Redis Cluster refuses a read across slots; blocking each up to
     * {@code block} when given. Every read is waited for, so none is left in flight to take entries
     * the caller never sees; the first failure is thrown once all have answered.
     *
     * @return per stream, its entries in stream order
     */
    public static Map<String, Map<StreamMessageId, Map<String, String>>> read(RedissonClient redis,
            Collection<List<String>> streamsByGroup, String group, String consumer, StreamMessageId from, int count,
            Optional<Duration> block) {
        List<RFuture<Map<String, Map<StreamMessageId, Map<String, String>>>>> reads = new ArrayList<>();
        for (List<String> streams : streamsByGroup) {
            reads.add(redis.<String, String>getStream(streams.get(0), StringCodec.INSTANCE).readGroupAsync(group, consumer,
                    readArgs(streams, from, count, block)));
        }
        Map<String, Map<StreamMessageId, Map<String, String>>> read = new LinkedHashMap<>();
        RuntimeException failure = null;
        for (RFuture<Map<String, Map<StreamMessageId, Map<String, String>>>> each : reads) {
            try {
                Map<String, Map<StreamMessageId, Map<String, String>>> entries = each.toCompletableFuture().join();
                if (entries != null) {
                    read.putAll(entries);
                }
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return read;
    }
}
