package io.herald.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.contract.PodSettings;

/**
 * Appends entries to the shard streams of their channels, all of them or none. The streams are
 * not capped here: an entry leaves its stream only when the router that routed it trims it, so
 * nothing acknowledged is dropped unrouted; publishers are held back by the shard's backlog
 * budget instead (see the gateway's {@code ShardBacklog}).
 */
@ApplicationScoped
public class ShardStreams {

    /**
     * Checks every stream first and only then appends, in one script, so a write that Redis refuses
     * (a key of the wrong type) leaves no entry behind. MULTI/EXEC would not do: Redis runs the
     * other commands of a transaction when one of them fails. ARGV holds, per key, the number of
     * fields followed by the field names and values.
     */
    private static final String APPEND = """
            for _, key in ipairs(KEYS) do
              local kind = redis.call('TYPE', key)['ok']
              if kind ~= 'stream' and kind ~= 'none' then
                return redis.error_reply('WRONGTYPE ' .. key .. ' holds a ' .. kind .. ', not a stream; nothing appended')
              end
            end
            local a = 1
            for _, key in ipairs(KEYS) do
              local count = tonumber(ARGV[a])
              local args = {key, '*'}
              for j = 1, 2 * count do args[#args + 1] = ARGV[a + j] end
              redis.call('XADD', unpack(args))
              a = a + 1 + 2 * count
            end
            return #KEYS
            """;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    StreamsConfig config;

    private String durability;
    private Duration replicationTimeout;

    @PostConstruct
    void checkDurability() {
        durability = config.publish().durability();
        replicationTimeout = config.publish().replicationTimeout();
        if (!PodSettings.DURABILITY_IMMEDIATE.equals(durability) && !PodSettings.DURABILITY_REPLICATED.equals(durability)) {
            throw new IllegalArgumentException("herald.publish.durability must be " + PodSettings.DURABILITY_IMMEDIATE + " or "
                    + PodSettings.DURABILITY_REPLICATED + ", was " + durability);
        }
    }

    /** The entries a replica did not confirm in time are on the primary, and will probably be delivered. */
    public static final class NotReplicatedException extends RuntimeException {
        NotReplicatedException(Duration timeout) {
            super("no replica confirmed the write within " + timeout.toMillis() + " ms", null, false, false);
        }
    }

    /**
     * Appends the entries in one round trip, each to its shard stream, in list order. The stage
     * completes once Redis holds all of them, and fails when it holds none.
     */
    public CompletionStage<Void> append(List<? extends ShardEntry> entries) {
        return append(entries, BatchOptions.defaults());
    }

    /**
     * Appends publications that an app backend will be told were accepted: like {@link #append},
     * and with replicated durability the stage completes only once a replica confirmed the
     * entries (Redis {@code WAIT} on the same connection); it fails with
     * {@link NotReplicatedException} when none did in time.
     */
    public CompletionStage<Void> publish(List<? extends ShardEntry> entries) {
        if (!PodSettings.DURABILITY_REPLICATED.equals(durability)) {
            return append(entries);
        }
        return append(entries, BatchOptions.defaults().sync(1, replicationTimeout));
    }

    private CompletionStage<Void> append(List<? extends ShardEntry> entries, BatchOptions options) {
        if (redis.isShuttingDown() || redis.isShutdown()) {
            // Connections closing as the process stops still say goodbye; there is nobody to tell.
            return CompletableFuture.failedFuture(new IllegalStateException("the Redis client is shut down"));
        }
        if (entries.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        // One script per slot group: on a Redis Cluster a script's keys must share a slot. On one
        // Redis there is one group, so a request's entries are stored all or none; across groups
        // each group's are, and a failed request may have stored some groups' entries.
        Map<Integer, List<Object>> streamsByGroup = new TreeMap<>();
        Map<Integer, List<Object>> fieldsByGroup = new TreeMap<>();
        for (ShardEntry entry : entries) {
            int shard = cluster.shardOf(entry.app(), entry.channel());
            int group = cluster.layout().groupOf(shard);
            streamsByGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(cluster.layout().shardStream(shard));
            List<Object> fields = fieldsByGroup.computeIfAbsent(group, g -> new ArrayList<>());
            Map<String, String> encoded = EnvelopeCodec.encode(entry);
            fields.add(Integer.toString(encoded.size()));
            encoded.forEach((name, value) -> {
                fields.add(name);
                fields.add(value);
            });
        }
        RBatch batch = redis.createBatch(options);
        streamsByGroup.forEach((group, streams) -> batch.getScript(StringCodec.INSTANCE).evalAsync(RScript.Mode.READ_WRITE,
                APPEND, RScript.ReturnType.LONG, streams, fieldsByGroup.get(group).toArray()));
        return batch.executeAsync().thenAccept(result -> {
            if (options.getSyncSlaves() > 0 && result.getSyncedSlaves() < options.getSyncSlaves()) {
                throw new NotReplicatedException(replicationTimeout);
            }
        });
    }
}
