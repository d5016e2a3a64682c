package io.herald.router;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.herald.membership.Membership;
import io.herald.streams.ClusterSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The router's meters, served in the Prometheus format on {@code /q/metrics} (docs/operations.md,
 * "Metrics"). The routing loop counts per batch and per turn, never per entry, and the meters it
 * uses are made once here.
 */
@ApplicationScoped
public class RouterMetrics {

    @Inject
    MeterRegistry registry;

    @Inject
    Membership membership;

    @Inject
    ClusterSettings cluster;

    private Counter batches;
    private Counter batchesOnLoop;
    private Counter entries;
    private Counter fencingRejections;
    private Counter turnFailures;
    private Counter orphanedEntries;
    private final AtomicLong shardLagMillis = new AtomicLong();
    private final Map<String, Counter> redisErrors = new ConcurrentHashMap<>();

    @PostConstruct
    void register() {
        batches = Counter.builder("herald.router.batches.routed")
                .description("Batches read from the shard streams and routed").register(registry);
        batchesOnLoop = Counter.builder("herald.router.batches.on.event.loop")
                .description("Of the batches routed, those routed on the Redis client's event loop (the steady state)")
                .register(registry);
        entries = Counter.builder("herald.router.entries.routed")
                .description("Shard stream entries routed (publications, interest changes, presence, requests)")
                .register(registry);
        fencingRejections = Counter.builder("herald.router.fencing.rejections")
                .description("Shard writes refused by the shard's fence: another router had taken the shard over")
                .register(registry);
        turnFailures = Counter.builder("herald.router.turn.failures")
                .description("Routing turns that failed; the router replays its shards after a back-off").register(registry);
        orphanedEntries = Counter.builder("herald.router.orphaned.entries")
                .description("Entries pending to this router that none of its reads returned, found and routed late")
                .register(registry);
        Gauge.builder("herald.router.shard.lag", shardLagMillis, lag -> lag.get() / 1000.0).baseUnit("seconds")
                .description("Age of the oldest entry of the shard stream batch routed last (0 once the shards are idle)")
                .register(registry);
        // Beside shards.owned, so that an alert sees shards without an owner without knowing router.shards.
        Gauge.builder("herald.router.shards", cluster, ClusterSettings::shardCount)
                .description("Channel shards of the cluster, owned or not").register(registry);
        FunctionCounter.builder("herald.lease.renew.failures", membership, member -> member.own().renewFailures())
                .description("Failed attempts to renew this pod's membership Lease").register(registry);
    }

    /** Exposes how many shards the router owns, as the routing loop publishes them. */
    public void shardsOwned(Supplier<Map<Integer, Long>> owned) {
        // Strongly: the gauge would otherwise hold the only reference to the supplier, and lose it.
        Gauge.builder("herald.router.shards.owned", owned, shards -> shards.get().size()).strongReference(true)
                .description("Channel shards this router owns").register(registry);
    }

    /**
     * @param oldestMillis the time (Redis's clock) of the batch's oldest entry
     */
    public void routed(int entryCount, long oldestMillis) {
        batches.increment();
        entries.increment(entryCount);
        shardLagMillis.set(Math.max(0, System.currentTimeMillis() - oldestMillis));
    }

    /** The batch just counted by {@link #routed} was routed on the Redis client's event loop. */
    public void routedOnEventLoop() {
        batchesOnLoop.increment();
    }

    /** A turn that read nothing: the owned shards have no entries waiting. */
    public void idle() {
        shardLagMillis.set(0);
    }

    public void fenced(int shards) {
        fencingRejections.increment(shards);
    }

    public void turnFailed() {
        turnFailures.increment();
    }

    public void orphansFound(long count) {
        orphanedEntries.increment(count);
    }

    /** A Redis command that failed where the router catches the failure; {@code operation} is one of a few fixed names. */
    public void redisError(String operation) {
        redisErrors.computeIfAbsent(operation, name -> Counter.builder("herald.redis.command.errors").tag("operation", name)
                .description("Redis commands that failed, by what they were for").register(registry)).increment();
    }
}
