package io.herald.gateway;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.streams.ClusterSettings;
import io.herald.streams.StreamLayout;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * How many entries of each shard stream no router has routed yet, as last measured. Shard streams
 * are never capped (a cap would drop acknowledged entries nobody routed), so when routers fall
 * behind or are gone, the gateway refuses new publications to a shard whose backlog reached
 * {@code herald.streams.shard-backlog-budget} instead of letting Redis fill up. Control entries
 * (interest, presence, cache requests) are never refused: they are few, and refusing them would
 * break subscriptions.
 *
 * <p>Publishing never waits for a measurement: a timer measures the shards publishers asked about
 * every {@link #REFRESH_MILLIS} in one round trip and publishers read the last view, so the budget
 * is soft by what one period of publications adds. Before a shard's first measurement nothing is
 * refused. Only shards asked about in the last {@link #ASKED_WITHIN_MILLIS} are measured: a
 * script over every shard held Redis for about 0.45 ms per gateway per period (64 shards), idle
 * or not, and a gateway's publishers often reach a few shards only.
 */
@ApplicationScoped
public class ShardBacklog {

    private static final Logger LOG = Logger.getLogger(ShardBacklog.class);
    static final long REFRESH_MILLIS = 250;
    /** How long a shard is measured after a publisher last asked about it. */
    static final long ASKED_WITHIN_MILLIS = 10_000;
    /** Shards measured per script, so that no single script holds Redis for long. */
    static final int SHARDS_PER_SCRIPT = 256;

    /**
     * Per stream: the consumer group's {@code lag} (never delivered) plus its pending entries
     * (delivered, not yet routed). Redis has no lag for a group whose entries were deleted or that
     * predates 7.0, and no group before the first router started: then the stream's length, which
     * counts every unrouted entry since only routers trim, and what they routed at most besides.
     */
    private static final String MEASURE = """
            local backlogs = {}
            for i, key in ipairs(KEYS) do
              local backlog = 0
              if redis.call('TYPE', key)['ok'] == 'stream' then
                backlog = redis.call('XLEN', key)
                for _, group in ipairs(redis.call('XINFO', 'GROUPS', key)) do
                  local fields = {}
                  for j = 1, #group, 2 do fields[group[j]] = group[j + 1] end
                  if fields['name'] == ARGV[1] and fields['lag'] then
                    backlog = math.min(backlog, fields['lag'] + fields['pending'])
                  end
                end
              end
              backlogs[i] = backlog
            end
            return backlogs
            """;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    Vertx vertx;

    @Inject
    GatewayMetrics metrics;

    @Inject
    GatewayConfig config;

    private final AtomicBoolean measuring = new AtomicBoolean();
    private volatile long[] backlogs = new long[0];
    /** Per shard, when a publisher last asked about it, in ms since {@link #origin} plus one; 0 if never. */
    private AtomicLongArray askedAt;
    private final long origin = System.nanoTime();
    private long timer;

    /** Here, not at start: a publication may arrive before the start event has reached this bean. */
    @PostConstruct
    void init() {
        askedAt = new AtomicLongArray(cluster.shardCount());
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(REFRESH_MILLIS, id -> refresh());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    /** Whether publications to the channel are refused for now: its shard's backlog reached the budget. */
    public boolean isOverBudget(String app, String channel) {
        int shard = cluster.shardOf(app, channel);
        long now = sinceOrigin();
        long asked = askedAt.get(shard);
        // A write once per period at most: publishers on every event loop ask about the busy shards.
        if (asked == 0 || now - asked > REFRESH_MILLIS) {
            askedAt.set(shard, now);
        }
        long[] view = backlogs;
        return shard < view.length && view[shard] >= config.streams().shardBacklogBudget();
    }

    /**
     * Measures the shards asked about lately in one pipelined round trip, unless there are none or
     * the previous measurement is still running.
     */
    private void refresh() {
        if (redis.isShuttingDown() || redis.isShutdown()) {
            return;
        }
        int shards = cluster.shardCount();
        StreamLayout layout = cluster.layout();
        List<List<Integer>> chunks = toMeasure(askedAt, sinceOrigin(), layout.slotGroups());
        if (chunks.isEmpty() || !measuring.compareAndSet(false, true)) {
            return;
        }
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        List<RFuture<List<Long>>> parts = new ArrayList<>();
        for (List<Integer> chunk : chunks) {
            List<Object> streams = new ArrayList<>();
            chunk.forEach(shard -> streams.add(layout.shardStream(shard)));
            parts.add(batch.getScript(StringCodec.INSTANCE).evalAsync(RScript.Mode.READ_ONLY, MEASURE,
                    RScript.ReturnType.LIST, streams, StreamLayout.ROUTER_GROUP));
        }
        batch.executeAsync().whenComplete((ignored, failure) -> {
            try {
                if (failure != null) {
                    // The last view stands; while Redis fails, publications fail anyway.
                    metrics.redisError("shard_backlog");
                    LOG.debugf("Could not measure the shard backlogs: %s", failure.getMessage());
                    return;
                }
                // Shards not measured this time keep their last figure.
                long[] measured = Arrays.copyOf(backlogs, shards);
                for (int part = 0; part < parts.size(); part++) {
                    List<Long> measuredPart = parts.get(part).toCompletableFuture().join();
                    for (int i = 0; i < measuredPart.size(); i++) {
                        measured[chunks.get(part).get(i)] = measuredPart.get(i);
                    }
                }
                backlogs = measured;
            } finally {
                measuring.set(false);
            }
        });
    }

    /**
     * The shards asked about within {@link #ASKED_WITHIN_MILLIS} of {@code now}, in chunks of at
     * most {@link #SHARDS_PER_SCRIPT} that each hold one slot group's shards: a script's keys must
     * share a slot on a Redis Cluster.
     */
    static List<List<Integer>> toMeasure(AtomicLongArray askedAt, long now, int slotGroups) {
        List<List<Integer>> chunks = new ArrayList<>();
        for (int group = 0; group < slotGroups; group++) {
            List<Integer> chunk = new ArrayList<>();
            for (int shard = group; shard < askedAt.length(); shard += slotGroups) {
                long asked = askedAt.get(shard);
                if (asked == 0 || now - asked > ASKED_WITHIN_MILLIS) {
                    continue;
                }
                if (chunk.size() == SHARDS_PER_SCRIPT) {
                    chunks.add(chunk);
                    chunk = new ArrayList<>();
                }
                chunk.add(shard);
            }
            if (!chunk.isEmpty()) {
                chunks.add(chunk);
            }
        }
        return chunks;
    }

    private long sinceOrigin() {
        return (System.nanoTime() - origin) / 1_000_000 + 1;
    }
}
