package io.herald.router.routing;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.RedisException;

import io.herald.membership.Membership;
import io.herald.membership.PeerView;
import io.herald.membership.Role;
import io.herald.router.RouterConfig;
import io.herald.router.RouterMetrics;
import io.herald.router.cache.LastEvents;
import io.herald.router.ownership.LivenessRecords;
import io.herald.router.ownership.ShardOwnership;
import io.herald.router.history.ChannelHistory;
import io.herald.router.presence.PresenceTable;
import io.herald.streams.ClusterSettings;
import io.herald.streams.DatasetWatch;
import io.herald.streams.RedisDisconnects;
import io.herald.streams.ShardStreams;
import io.herald.streams.StreamLayout;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The routing loop, on one thread of its own. Every 100 ms (and at once when its Lease is lost or
 * regained) it brings shard ownership in line with the live routers and cleans up after gateways
 * that died ({@link GatewayCleanup}); each turn it reads a batch
 * from the shard streams it owns ({@link ShardReads}) and routes it ({@link BatchRouter}). A batch's deliveries and acknowledgements are written together, per
 * shard, fenced by the shard's epoch (see {@link FencedWrites}); a crash before the write leaves
 * the entries pending, and the next owner routes them again. In the steady state the next read
 * goes in the same pipeline as those writes, so that a turn costs one round trip, not two, and
 * the batches it brings are routed on the Redis client's event loop while this thread waits
 * ({@link LoopTurns}).
 *
 * <p>A turn that fails (Redis unreachable, a script error) leaves this router's entries pending
 * and its caches possibly ahead of Redis. The next turn, after a back-off, therefore drops the
 * caches and replays every owned shard from its pending entries before reading anything new.
 * Reads issued before a failure may still run in Redis and take entries nobody receives; see
 * {@link ShardReads} for how they are found and routed. A turn also checks, once a second,
 * whether Redis lost the cluster's data; then the router forgets its claims and claims afresh,
 * which recreates the consumer groups.
 */
@ApplicationScoped
public class ShardRouter {

    private static final Logger LOG = Logger.getLogger(ShardRouter.class);
    private static final Duration DATASET_CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(2);
    /** How often a busy loop brings ownership in line with the live routers and cleans up after dead gateways. */
    private static final Duration UPKEEP_INTERVAL = Duration.ofMillis(100);

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    Membership membership;

    @Inject
    DatasetWatch dataset;

    @Inject
    ShardStreams shardStreams;

    @Inject
    RedisDisconnects disconnects;

    @Inject
    RouterMetrics metrics;

    @Inject
    RouterConfig config;

    private int batchSize;
    private int inboxMaxLength;
    private Duration livenessTtl;
    private StreamLayout layout;
    private InterestTable interest;
    private ChannelHistory history;
    private PersistentSubscribers persistent;
    private PresenceTable presence;
    private ShardOwnership ownership;
    private LivenessRecords liveness;
    private BatchRouter batchRouter;
    private GatewayCleanup cleanup;
    private WatcherNotices watchers;
    private PeerView peers;
    private final Map<String, Integer> shardByStream = new HashMap<>();
    private volatile boolean running;
    private volatile boolean healthy;
    private volatile long lastTurnAt = System.nanoTime();
    private boolean recovering;
    private long datasetCheckedAt;
    private long upkeepAt = System.nanoTime() - UPKEEP_INTERVAL.toNanos();
    private boolean leaseHeldAtUpkeep;
    private ShardReads reads;
    /**
     * The next batch, read in the same round trip as the last batch's writes ({@link #mayReadAhead}).
     * Its entries are pending to this router like any read's: whatever drops it (a replay, a shard
     * changing hands) leaves them to the shard's replay or to its next owner's take-over.
     */
    private Map<String, Map<StreamMessageId, Map<String, String>>> readAhead = Map.of();
    private Thread thread;
    private LoopTurns loopTurns;
    /** A turn on the event loop found the loop stalled past the liveness TTL: the next turn checks the claims. */
    private volatile boolean stalledOnLoop;

    void start(@Observes StartupEvent event) {
        batchSize = config.router().batchSize();
        inboxMaxLength = config.streams().inboxMaxLength();
        livenessTtl = config.router().livenessTtl();
        layout = cluster.layout();
        WebhookFacts webhooks = new WebhookFacts(layout, config.webhooks().maxLength());
        interest = new InterestTable(redis, layout, webhooks);
        presence = new PresenceTable(redis, layout, config.limits().presenceMaxMembers(), inboxMaxLength, webhooks);
        LastEvents lastEvents = new LastEvents(redis, layout, config.cache().ttlSeconds() * 1000, inboxMaxLength, webhooks);
        ownership = new ShardOwnership(redis, layout, cluster.nodeId(), cluster.shardCount());
        liveness = new LivenessRecords(redis, layout, cluster.nodeId(), livenessTtl);
        for (int shard = 0; shard < cluster.shardCount(); shard++) {
            shardByStream.put(layout.shardStream(shard), shard);
        }
        reads = new ShardReads(redis, layout, cluster.nodeId(), batchSize, ownership, disconnects, metrics, shardByStream);
        history = new ChannelHistory(redis, layout, config.history().metaTtlSeconds() * 1000, inboxMaxLength,
                Math.toIntExact(config.archive().backlogBudget()));
        persistent = new PersistentSubscribers(redis, layout, cluster::shardOf);
        batchRouter = new BatchRouter(layout, interest, presence, lastEvents, history, persistent,
                new SubscriptionTotals(redis, layout, inboxMaxLength, webhooks), inboxMaxLength, shardByStream);
        loopTurns = new LoopTurns(batchRouter, this::steadyOnLoop, this::ofOwnedShards, () -> peers.gone(Role.GATEWAY),
                this::writeAndReadNext, this::routedOnLoop);
        watchers = new WatcherNotices(redis, layout, shardStreams);
        cleanup = new GatewayCleanup(redis, layout, interest, presence, shardStreams, watchers, webhooks);
        peers = membership.peers();
        metrics.shardsOwned(this::ownedShards);
        liveness.start();
        datasetCheckedAt = System.nanoTime();
        // Before the loop: reading the dataset id creates the watch, which must know the data it starts with.
        LOG.infof("Router %s starts; cluster %s has %d shards (dataset %s)", cluster.nodeId(), cluster.clusterName(),
                cluster.shardCount(), dataset.known());
        running = true;
        thread = new Thread(this::run, "herald-router");
        thread.start();
    }

    /** Stops routing and hands the shards back before the Lease is released, so peers take over at once. */
    void stop(@Observes @Priority(Interceptor.Priority.APPLICATION) ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(ShardReads.READ_TIMEOUT.multipliedBy(8).toMillis());
            ownership.releaseAll();
            liveness.close();
        }
    }

    public boolean isHealthy() {
        return running && healthy;
    }

    /** How long ago the loop last finished a turn, well or badly: a loop stuck for long is wedged. */
    public Duration sinceLastTurn() {
        return Duration.ofNanos(System.nanoTime() - lastTurnAt);
    }

    /** The shards this router owns now, with their epochs; safe to call from any thread. */
    public Map<Integer, Long> ownedShards() {
        return ownership == null ? Map.of() : ownership.published();
    }

    private void run() {
        Duration retry = FIRST_RETRY;
        while (running) {
            try {
                turn();
                healthy = true;
                retry = FIRST_RETRY;
            } catch (RuntimeException e) {
                healthy = false;
                recovering = true;
                metrics.turnFailed();
                if (e instanceof RedisException) {
                    metrics.redisError("route");
                }
                reads.interrupted();
                LOG.warnf("Routing failed, replaying this router's shards in %d ms: %s", retry.toMillis(), e.toString());
                pause(retry);
                retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
            } finally {
                lastTurnAt = System.nanoTime();
            }
        }
    }

    private void turn() {
        long previousTurnEnded = lastTurnAt;
        long startedAt = System.nanoTime();
        if (recovering || System.nanoTime() - datasetCheckedAt > DATASET_CHECK_INTERVAL.toNanos()) {
            datasetCheckedAt = System.nanoTime();
            if (dataset.lost()) {
                ownership.forgetAll();
                cleanup.reset();
                recovering = true;
            }
        }
        if (recovering) {
            interest.clear();
            presence.clear();
            history.clear();
            persistent.clear();
            ownership.replayAll();
            readAhead = Map.of();
            recovering = false;
        } else if (readAhead.isEmpty() && reads.checkForOrphansIfDue()) {
            readAhead = Map.of();
        }
        boolean leaseHeld = membership.own().isHeld();
        long now = System.nanoTime();
        // Under load a turn routes a publication or two: checking the peers' liveness records
        // (a Redis round trip) and rehashing every shard each turn would cost more than routing.
        // Ownership follows the peers within UPKEEP_INTERVAL, a Lease lost at once; the fencing
        // epochs keep a router that acts on a stale view from writing for shards it lost.
        if (leaseHeld != leaseHeldAtUpkeep || now - upkeepAt >= UPKEEP_INTERVAL.toNanos()) {
            upkeepAt = now;
            leaseHeldAtUpkeep = leaseHeld;
            Set<String> liveRouters = liveRouters(leaseHeld);
            if (peers.hasSynced()) {
                ownership.reconcile(leaseHeld, liveRouters, liveRouters::contains).forEach(this::dropCaches);
            }
            // Without a current Lease this router's view of its peers may be stale (the API server
            // may be out of reach for it alone), and the inbox deletion in the cleanup is not fenced.
            if (leaseHeld) {
                cleanup.run(peers.gone(Role.GATEWAY), ownership.epochs().keySet(), this::applyFenced);
            }
        }
        // Stalled longer than its liveness record lives (a GC pause, SIGSTOP), this router may have
        // been replaced: it checks its claims before a read could take entries its successor owns.
        if (stalledOnLoop || System.nanoTime() - previousTurnEnded > livenessTtl.toNanos()) {
            stalledOnLoop = false;
            ownership.verifyClaims().forEach(this::dropCaches);
        }
        readAhead = ofOwnedShards(readAhead);
        if (ownership.epochs().isEmpty()) {
            metrics.idle();
            pause(ShardReads.READ_TIMEOUT);
            return;
        }
        Map<String, Map<StreamMessageId, Map<String, String>>> batch = readAhead.isEmpty() ? reads.read() : readAhead;
        readAhead = Map.of();
        if (batch.isEmpty()) {
            metrics.idle();
        } else {
            BatchRouter.Routed routed = batchRouter.route(batch, peers.gone(Role.GATEWAY));
            if (mayReadAhead(startedAt)) {
                CompletionStage<FencedWrites.Applied<Map<String, Map<StreamMessageId, Map<String, String>>>>> inFlight =
                        writeAndReadNext(routed.writes());
                // A batch's user changes are told once its writes are applied: such a turn ends here.
                FencedWrites.Applied<Map<String, Map<StreamMessageId, Map<String, String>>>> applied = routed.userChanges().isEmpty()
                        ? loopTurns.follow(inFlight) : FencedWrites.awaited(inFlight);
                forget(applied.fenced());
                readAhead = ofOwnedShards(applied.then() == null ? Map.of() : applied.then());
            } else {
                applyFenced(routed.writes());
            }
            watchers.tell(routed.userChanges());
            countRouted(batch);
        }
    }

    /**
     * Whether the next read may travel with this batch's writes, saving a round trip per turn
     * (about half a router's CPU at a publication or two per turn went to round trips; see
     * docs/performance.md). Only in the steady state where the next read is a plain read of new
     * entries ({@link ShardReads#freshOnly}: in particular no check for orphans due, which would
     * take the read-ahead entries, pending to this router, for orphans); on one slot group, since a
     * cluster's groups are read on their own nodes; and in a turn short enough that no peer can
     * have taken a shard meanwhile.
     */
    private boolean mayReadAhead(long turnStartedAt) {
        long now = System.nanoTime();
        return layout.slotGroups() == 1 && reads.freshOnly(now) && now - turnStartedAt < livenessTtl.toNanos() / 2;
    }

    /** Sends the writes with the next read in one pipeline ({@link #mayReadAhead}), without waiting. */
    private CompletionStage<FencedWrites.Applied<Map<String, Map<StreamMessageId, Map<String, String>>>>> writeAndReadNext(
            FencedWrites writes) {
        return writes.executeThenAsync(redis, cluster.nodeId(), ownership.epochs(), reads::readNext);
    }

    /**
     * Whether a turn may run on the Redis client's event loop ({@link LoopTurns}): in the state
     * {@link #mayReadAhead} asks for, with no upkeep, dataset check or stall check due, so that
     * the routing thread's own turns keep their pace.
     */
    private boolean steadyOnLoop() {
        long now = System.nanoTime();
        if (now - lastTurnAt > livenessTtl.toNanos()) {
            stalledOnLoop = true;
            return false;
        }
        return running && !recovering && now - upkeepAt < UPKEEP_INTERVAL.toNanos() && membership.own().isHeld() == leaseHeldAtUpkeep
                && now - datasetCheckedAt <= DATASET_CHECK_INTERVAL.toNanos() && mayReadAhead(now);
    }

    /** A batch routed on the event loop: counted, and a turn as far as the loop's liveness is concerned. */
    private void routedOnLoop(Map<String, Map<StreamMessageId, Map<String, String>>> batch) {
        countRouted(batch);
        metrics.routedOnEventLoop();
        lastTurnAt = System.nanoTime();
    }

    /** The entries of shards this router still owns; the others stay pending for their next owner to take over. */
    private Map<String, Map<StreamMessageId, Map<String, String>>> ofOwnedShards(
            Map<String, Map<StreamMessageId, Map<String, String>>> batch) {
        Predicate<String> lost = stream -> !ownership.epochs().containsKey(shardByStream.get(stream));
        if (batch.keySet().stream().noneMatch(lost)) {
            return batch;
        }
        Map<String, Map<StreamMessageId, Map<String, String>>> owned = new LinkedHashMap<>(batch);
        owned.keySet().removeIf(lost);
        return owned;
    }

    /**
     * The routers that may own shards: alive by their Lease and by their liveness record in
     * Redis. This router counts itself while it holds its Lease and its own record is current.
     */
    private Set<String> liveRouters(boolean leaseHeld) {
        Set<String> candidates = new TreeSet<>(peers.alive(Role.ROUTER));
        candidates.remove(cluster.nodeId());
        Set<String> live = new TreeSet<>(liveness.present(candidates));
        if (leaseHeld && liveness.isOwnCurrent()) {
            live.add(cluster.nodeId());
        }
        return live;
    }

    /** Counts a routed batch: its entries, and how long its oldest one waited (an entry id holds Redis's time). */
    private void countRouted(Map<String, Map<StreamMessageId, Map<String, String>>> batch) {
        int entries = 0;
        long oldest = Long.MAX_VALUE;
        for (Map<StreamMessageId, Map<String, String>> stream : batch.values()) {
            entries += stream.size();
            for (StreamMessageId id : stream.keySet()) {
                oldest = Math.min(oldest, id.getId0());
            }
        }
        if (entries > 0) {
            metrics.routed(entries, oldest);
        }
    }

    /** Applies fenced writes; forgets the shards whose fence refused them. Returns those shards. */
    private Set<Integer> applyFenced(FencedWrites writes) {
        return forget(writes.execute(redis, cluster.nodeId(), ownership.epochs()));
    }

    /** Forgets the shards whose fence refused this router's writes: a peer owns them now. */
    private Set<Integer> forget(Set<Integer> fenced) {
        if (!fenced.isEmpty()) {
            metrics.fenced(fenced.size());
        }
        for (int shard : fenced) {
            ownership.lost(shard);
            dropCaches(shard);
        }
        return fenced;
    }

    /** Forgets what the caches hold of a shard that another router may have written meanwhile. */
    private void dropCaches(int shard) {
        interest.dropShard(shard);
        presence.dropShard(shard);
        history.dropShard(shard);
        persistent.dropShard(shard);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
