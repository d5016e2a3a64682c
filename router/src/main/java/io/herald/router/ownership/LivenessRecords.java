package io.herald.router.ownership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.streams.StreamLayout;

/**
 * Short-lived liveness records of the routers in Redis, so that a router that died is replaced
 * in about {@code ttl} rather than a Lease duration (15 s by default).
 *
 * <p>Each router renews its own record ({@code SET ... PX ttl}) from one scheduler thread, five
 * times per {@code ttl}. A router counts a peer as alive only while both its Lease and its record
 * are current. The record may be wrong in one direction only: a router that is alive but stalled
 * (a long GC pause, SIGSTOP) loses its record and its shards are taken over, but every write it
 * makes afterwards is refused by the shard epochs, so a wrong suspicion costs a takeover, never
 * a duplicate or a lost publication. Its Lease still guards the other direction: a router whose
 * Lease lapsed owns nothing, whatever its record says.
 *
 * <p>When Redis itself was out of reach (restarted, paused, failed over), every router's record
 * lapsed at once, for that reason and not because its router died. A router that could not renew
 * its own record within the last two TTLs therefore does not judge its peers by theirs: it counts
 * every candidate as present, and the Lease alone decides, until its own renewals have held for
 * two TTLs again. Without this, routers that all survived the outage took each other's shards,
 * and a takeover racing the previous owner's last read could route entries out of order.
 */
public final class LivenessRecords implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LivenessRecords.class);

    private final RedissonClient redis;
    private final StreamLayout layout;
    private final String me;
    private final Duration ttl;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "herald-liveness");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long renewedAt;
    /** When the renewals in a row started failing ({@code Long.MIN_VALUE}: they succeed). */
    private volatile long failingSince = Long.MIN_VALUE;
    /** When the renewals succeeded again after failing; null before any failure. */
    private volatile Long healedAt;

    public LivenessRecords(RedissonClient redis, StreamLayout layout, String me, Duration ttl) {
        this.redis = redis;
        this.layout = layout;
        this.me = me;
        this.ttl = ttl;
    }

    /** Writes this router's record now and keeps renewing it. */
    public void start() {
        renew();
        long interval = Math.max(1, ttl.toMillis() / 5);
        scheduler.scheduleAtFixedRate(this::renew, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Stops renewing and removes the record, so peers react at once. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            redis.getBucket(layout.routerAlive(me), StringCodec.INSTANCE).delete();
        } catch (RuntimeException e) {
            LOG.warnf("Could not remove the liveness record of %s; it expires within %d ms: %s", me, ttl.toMillis(),
                    e.getMessage());
        }
    }

    /** Whether this router's own record was renewed recently enough that peers still see it. */
    public boolean isOwnCurrent() {
        return System.nanoTime() - renewedAt < ttl.toNanos();
    }

    /**
     * The routers among the candidates whose record is present, in one round trip; every
     * candidate while the records cannot be trusted (see the class comment).
     */
    public Set<String> present(Set<String> candidates) {
        if (candidates.isEmpty()) {
            return Set.of();
        }
        if (!recordsTrusted()) {
            return new TreeSet<>(candidates);
        }
        List<String> ids = new ArrayList<>(candidates);
        String[] keys = ids.stream().map(layout::routerAlive).toArray(String[]::new);
        Map<String, Object> found = redis.getBuckets(StringCodec.INSTANCE).get(keys);
        Set<String> present = new TreeSet<>();
        for (String id : ids) {
            if (found.containsKey(layout.routerAlive(id))) {
                present.add(id);
            }
        }
        return present;
    }

    /** Whether peers' records mean what they say: this router's own renewals held for the last two TTLs. */
    boolean recordsTrusted() {
        Long healed = healedAt;
        return failingSince == Long.MIN_VALUE && (healed == null || System.nanoTime() - healed >= 2 * ttl.toNanos());
    }

    private void renew() {
        long attemptedAt = System.nanoTime();
        try {
            redis.getBucket(layout.routerAlive(me), StringCodec.INSTANCE).set("1", ttl);
            renewedAt = attemptedAt;
            if (failingSince != Long.MIN_VALUE) {
                healedAt = attemptedAt;
                failingSince = Long.MIN_VALUE;
            }
        } catch (RuntimeException e) {
            if (failingSince == Long.MIN_VALUE) {
                failingSince = attemptedAt;
            }
            // Never let a failure escape: it would cancel the renewals for good.
            LOG.warnf("Could not renew the liveness record of %s: %s", me, e.getMessage());
        }
    }
}
