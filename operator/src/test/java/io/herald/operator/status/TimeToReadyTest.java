package io.herald.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.crd.v1alpha1.PushClusterStatus;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class TimeToReadyTest {

    private static final Instant CREATED = Instant.parse("2026-12-01T12:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TimeToReady timeToReady = new TimeToReady();

    TimeToReadyTest() {
        timeToReady.registry = registry;
    }

    @Test
    void aNewClusterIsTimedFromItsCreationToItsFirstReadyOnce() {
        PushCluster cluster = cluster(1);
        timeToReady.observe(cluster, status(cluster, false), CREATED.plusSeconds(2));
        assertEquals(0, count("created"), "not Ready yet");
        cluster.setStatus(status(cluster, false));

        timeToReady.observe(cluster, status(cluster, true), CREATED.plusSeconds(45));
        cluster.setStatus(status(cluster, true));
        timeToReady.observe(cluster, status(cluster, true), CREATED.plusSeconds(60));

        assertEquals(1, count("created"), "once per generation, however many reconciles find it Ready");
        assertEquals(45.0, timer("created").totalTime(TimeUnit.SECONDS), "from metadata.creationTimestamp");
    }

    @Test
    void aChangedSpecIsTimedFromTheFirstReconcileOfItsGeneration() {
        PushCluster cluster = cluster(1);
        cluster.setStatus(status(cluster, true));
        cluster.getMetadata().setGeneration(2L);

        timeToReady.observe(cluster, status(cluster, false), CREATED.plusSeconds(600));
        timeToReady.observe(cluster, status(cluster, true), CREATED.plusSeconds(630));

        assertEquals(30.0, timer("changed").totalTime(TimeUnit.SECONDS));
        assertEquals(0, count("created"));
    }

    /** After a restart or a leader change, a cluster Ready for its generation took no time of this process's. */
    @Test
    void aClusterAlreadyReadyWhenFirstSeenIsNotTimed() {
        PushCluster cluster = cluster(3);
        cluster.setStatus(status(cluster, true));

        timeToReady.observe(cluster, status(cluster, true), CREATED.plusSeconds(3600));

        assertEquals(List.of(), registry.getMeters());
    }

    @Test
    void aDeletedClusterIsForgotten() {
        PushCluster cluster = cluster(1);
        timeToReady.observe(cluster, status(cluster, false), CREATED.plusSeconds(1));
        timeToReady.retain(Set.of());

        cluster.setStatus(status(cluster, false));
        timeToReady.observe(cluster, status(cluster, true), CREATED.plusSeconds(20));

        assertEquals(0, count("created"), "seen again after it was forgotten, it is timed as a changed spec");
        assertEquals(1, count("changed"));
    }

    private static PushCluster cluster(long generation) {
        PushCluster cluster = TestClusters.cluster("team", "push");
        cluster.getMetadata().setUid("uid-1");
        cluster.getMetadata().setGeneration(generation);
        cluster.getMetadata().setCreationTimestamp(CREATED.toString());
        return cluster;
    }

    private static PushClusterStatus status(PushCluster cluster, boolean ready) {
        PushClusterStatus status = new PushClusterStatus();
        status.observedGeneration = cluster.getMetadata().getGeneration();
        status.conditions = new Conditions(null, status.observedGeneration, CREATED)
                .ready(ready, ready ? "ClusterReady" : "GatewaysNotReady", "").build();
        return status;
    }

    private long count(String cause) {
        Timer timer = registry.find("herald.operator.time.to.ready").tag("cause", cause).timer();
        return timer == null ? 0 : timer.count();
    }

    private Timer timer(String cause) {
        return registry.get("herald.operator.time.to.ready").tag("cause", cause).timer();
    }
}
