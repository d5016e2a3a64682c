package io.herald.operator.status;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.herald.operator.crd.v1alpha1.Condition;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.crd.v1alpha1.PushClusterStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * How long a PushCluster takes to become Ready for a generation of its spec, as the timer
 * {@code herald_operator_time_to_ready_seconds}: for a new cluster from its creation, for a changed
 * spec from the first reconcile that saw the new generation. Ready means that generation is rolled
 * out to every pod and serving, so this is the time a platform team waits after an apply.
 *
 * <p>One series per {@code cause} ({@code created}, {@code changed}), never per cluster: the
 * clusters' names would make the series unbounded. A generation is timed once; a cluster that was
 * already Ready for its generation when this operator process first saw it (after a restart or a
 * leader change) is not timed again.
 */
@ApplicationScoped
public class TimeToReady {

    static final String CREATED = "created";
    static final String CHANGED = "changed";
    /** From a pod start to a cluster rolled out; Prometheus adds the +Inf bucket. */
    private static final Duration[] BUCKETS = {Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30)};

    /** A generation on its way to Ready since the instant, or already timed (or never to be) when empty. */
    private record Pending(long generation, String cause, Optional<Instant> since) {
    }

    @Inject
    MeterRegistry registry;

    /** By the cluster's UID, so that a cluster deleted and created again under its name is timed anew. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /**
     * Called with the status a reconcile is about to write: starts timing a generation seen for the
     * first time, and records it once the status says Ready for it.
     */
    public void observe(PushCluster cluster, PushClusterStatus status, Instant now) {
        String uid = cluster.getMetadata().getUid();
        long generation = Optional.ofNullable(cluster.getMetadata().getGeneration()).orElse(0L);
        Pending current = pending.get(uid);
        if (current == null || current.generation() != generation) {
            current = start(cluster, generation, now);
        }
        if (current.since().isPresent() && readyFor(status, generation)) {
            timer(current.cause()).record(Duration.between(current.since().get(), now));
            current = new Pending(generation, current.cause(), Optional.empty());
        }
        pending.put(uid, current);
    }

    /** Drops the clusters that no longer exist, by UID. */
    public void retain(Set<String> existing) {
        pending.keySet().retainAll(existing);
    }

    private static Pending start(PushCluster cluster, long generation, Instant now) {
        PushClusterStatus previous = cluster.getStatus();
        if (previous != null && readyFor(previous, generation)) {
            return new Pending(generation, CHANGED, Optional.empty());
        }
        if (previous == null || previous.observedGeneration == null) {
            return new Pending(generation, CREATED, Optional.of(created(cluster).orElse(now)));
        }
        return new Pending(generation, CHANGED, Optional.of(now));
    }

    private static boolean readyFor(PushClusterStatus status, long generation) {
        return status.condition(Condition.READY).filter(ready -> "True".equals(ready.status))
                .filter(ready -> Objects.equals(ready.observedGeneration, generation)).isPresent();
    }

    private static Optional<Instant> created(PushCluster cluster) {
        try {
            return Optional.ofNullable(cluster.getMetadata().getCreationTimestamp())
                    .map(timestamp -> OffsetDateTime.parse(timestamp).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private Timer timer(String cause) {
        return timers.computeIfAbsent(cause, c -> Timer.builder("herald.operator.time.to.ready")
                .description("Time from a PushCluster's creation or spec change to Ready for that generation")
                .tag("cause", c).serviceLevelObjectives(BUCKETS).register(registry));
    }
}
