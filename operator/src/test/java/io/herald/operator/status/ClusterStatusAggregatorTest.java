package io.herald.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.herald.contract.LeaseNames;
import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.Condition;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.crd.v1alpha1.PushClusterStatus;
import io.herald.operator.crd.v1alpha1.PushClusterStatus.ShardOwner;
import io.herald.operator.members.ArchiveReports.Report;

class ClusterStatusAggregatorTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void readyNeedsAReadyGatewayAndAReadyRouter() {
        PushClusterStatus status = aggregator().gateways(deployment(3, 1), 3, 40, "selector")
                .routers(deployment(2, 0), List.of(), 64).build();
        assertEquals("RoutersNotReady", ready(status).reason);
        assertEquals("1/3 gateways and 0/2 routers ready", ready(status).message);

        status = aggregator().gateways(deployment(3, 3), 3, 40, "selector").routers(deployment(2, 2), List.of(new ShardOwner("r-1", 64)), 64)
                .appProblems(Map.of("chat", "key k is already used by PushApp other")).build();
        assertEquals("ClusterReady", ready(status).reason);
        Condition warning = status.condition(Condition.WARNING).orElseThrow();
        assertEquals("True", warning.status);
        assertEquals("PushApp chat is not served: key k is already used by PushApp other", warning.message);
        assertEquals(3L, ready(status).observedGeneration);
    }

    @Test
    void halfWayThroughARolloutTheClusterIsProgressingAndNotReadyThoughPodsOfBothTiersServe() {
        PushClusterStatus status = aggregator().gateways(RolloutTest.deployment(4, 4, 3, 4, 3, 4), 3, 40, "selector")
                .routers(deployment(2, 2), List.of(), 64).build();
        Condition progressing = status.condition(Condition.PROGRESSING).orElseThrow();
        assertEquals("True", progressing.status);
        assertEquals("RollingOut", progressing.reason);
        assertEquals("gateways: 1 old replicas pending termination", progressing.message);
        assertEquals("False", ready(status).status);
        assertEquals("RollingOut", ready(status).reason);
        assertEquals("4/3 gateways and 2/2 routers ready; gateways: 1 old replicas pending termination", ready(status).message);

        status = aggregator().gateways(deployment(3, 3), 3, 40, "selector").routers(deployment(2, 2), List.of(), 64).build();
        assertEquals("True", ready(status).status);
        progressing = status.condition(Condition.PROGRESSING).orElseThrow();
        assertEquals("False", progressing.status);
        assertEquals("RolloutComplete", progressing.reason);
        assertEquals(3L, progressing.observedGeneration);
    }

    @Test
    void aStalledRolloutIsNeitherProgressingNorReady() {
        Deployment stuck = new DeploymentBuilder(deployment(2, 2).orElseThrow())
                .editStatus().addNewCondition().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                    .withMessage("timed out").endCondition().endStatus().build();
        PushClusterStatus status = aggregator().gateways(deployment(3, 3), 3, 40, "selector").routers(Optional.of(stuck), List.of(), 64)
                .build();
        assertEquals("ProgressDeadlineExceeded", status.condition(Condition.PROGRESSING).orElseThrow().reason);
        assertEquals("False", status.condition(Condition.PROGRESSING).orElseThrow().status);
        assertEquals("ProgressDeadlineExceeded", ready(status).reason);
        assertEquals("False", ready(status).status);
    }

    @Test
    void anInvalidSpecIsNotRolledOut() {
        PushClusterStatus status = aggregator().specErrors(List.of("router.shards is immutable")).build();
        Condition progressing = status.condition(Condition.PROGRESSING).orElseThrow();
        assertEquals("False", progressing.status);
        assertEquals("InvalidSpec", progressing.reason);
    }

    @Test
    void aFailedReconcileIsNotCalledAnInvalidSpecAndKeepsTheLastCounts() {
        PushCluster cluster = cluster();
        cluster.setStatus(new ClusterStatusAggregator(cluster, NOW).gateways(deployment(2, 2), 2, 7, "selector")
                .routers(deployment(1, 1), List.of(new ShardOwner("r-1", 64)), 64).build());
        PushClusterStatus status = new ClusterStatusAggregator(cluster, NOW.plusSeconds(5)).failure("409 Conflict").build();
        assertEquals("ReconcileFailed", ready(status).reason);
        assertEquals("reconcile failed: 409 Conflict", status.condition(Condition.WARNING).orElseThrow().message);
        assertEquals(7L, status.gateways.connections);
        assertEquals("r-1", status.routers.shardOwners.get(0).router);
    }

    @Test
    void archiveHealthIsFalseWhileAnyRouterCannotWriteAndAFullBacklogOutranksAnOutage() {
        Report healthy = new Report("push-router-a", LeaseNames.ARCHIVE_HEALTHY, 3, "", "");
        Report unreachable = new Report("push-router-b", LeaseNames.ARCHIVE_MONGO_UNREACHABLE, 900, "2026-12-01T11:59:00Z",
                "Writes to MongoDB fail since 2026-12-01T11:59:00Z: MongoTimeoutException");
        Report full = new Report("push-router-c", LeaseNames.ARCHIVE_BACKLOG_FULL, 1_000_000, "2026-12-01T11:00:00Z",
                "The archive backlog of shards [7] reached its budget");

        Condition archive = archive(aggregator().archive(List.of(healthy, healthy)).build());
        assertEquals("True", archive.status);
        assertEquals("Archiving", archive.reason);
        assertEquals("2 routers archive to MongoDB; backlog 6 events", archive.message);

        archive = archive(aggregator().archive(List.of(healthy, unreachable)).build());
        assertEquals("False", archive.status);
        assertEquals("MongoUnreachable", archive.reason);
        assertEquals("Backlog 903 events. push-router-b: Writes to MongoDB fail since 2026-12-01T11:59:00Z: MongoTimeoutException",
                archive.message);

        assertEquals("BacklogFull", archive(aggregator().archive(List.of(unreachable, full)).build()).reason);
        assertEquals("Unknown", archive(aggregator().archive(List.of()).build()).status);
        assertTrue(aggregator().build().condition(Condition.ARCHIVE_HEALTHY).isEmpty(), "no condition without an archive");
    }

    @Test
    void theStatusCountsTheShardsThatHaveAnOwnerOutOfTheClustersShards() {
        PushClusterStatus status = aggregator().gateways(deployment(2, 2), 2, 40, "selector")
                .routers(deployment(2, 2), List.of(new ShardOwner("r-1", 30), new ShardOwner("r-2", 34)), 64).build();
        assertEquals(64, status.routers.shards);
        assertEquals(64, status.routers.ownedShards);
        assertEquals(40L, status.gateways.connections);

        status = aggregator().gateways(deployment(2, 2), 2, 40, "selector").routers(deployment(2, 0), List.of(), 64).build();
        assertEquals(64, status.routers.shards);
        assertEquals(0, status.routers.ownedShards, "no live router: no shard has an owner");
    }

    @Test
    void optionalObjectConditionsFollowTheirOwnStepAndOutliveAReconcileThatStoppedBeforeIt() {
        PushClusterStatus missing = aggregator().monitoring(Optional.of(new OptionalObjectsState(false, "PrometheusOperatorMissing",
                "not installed"))).route(Optional.of(new OptionalObjectsState(false, "GatewayApiMissing", "not installed"))).build();
        assertEquals("False", missing.condition(Condition.MONITORING_READY).orElseThrow().status);
        assertEquals("PrometheusOperatorMissing", missing.condition(Condition.MONITORING_READY).orElseThrow().reason);
        assertEquals("GatewayApiMissing", missing.condition(Condition.ROUTE_READY).orElseThrow().reason);
        PushClusterStatus off = aggregator().monitoring(Optional.empty()).route(Optional.empty()).build();
        assertTrue(off.condition(Condition.MONITORING_READY).isEmpty(), "monitoring off and nothing left to delete");
        assertTrue(off.condition(Condition.ROUTE_READY).isEmpty(), "no route and nothing left to delete");

        PushCluster cluster = cluster();
        cluster.setStatus(new ClusterStatusAggregator(cluster, NOW).monitoring(Optional.of(new OptionalObjectsState(true, "Monitored",
                "in place"))).route(Optional.of(new OptionalObjectsState(true, "Routed", "in place"))).build());
        PushClusterStatus invalid = new ClusterStatusAggregator(cluster, NOW.plusSeconds(5)).specErrors(List.of("bad")).build();
        assertEquals("Monitored", invalid.condition(Condition.MONITORING_READY).orElseThrow().reason,
                "kept, so that a later reconcile still deletes what monitoring made");
        assertEquals("Routed", invalid.condition(Condition.ROUTE_READY).orElseThrow().reason, "and the route");
    }

    private static Condition archive(PushClusterStatus status) {
        return status.condition(Condition.ARCHIVE_HEALTHY).orElseThrow();
    }

    private static ClusterStatusAggregator aggregator() {
        return new ClusterStatusAggregator(cluster(), NOW);
    }

    private static PushCluster cluster() {
        PushCluster cluster = TestClusters.cluster("ns", "push");
        cluster.getMetadata().setGeneration(3L);
        return cluster;
    }

    private static Condition ready(PushClusterStatus status) {
        return status.condition(Condition.READY).orElseThrow();
    }

    /** A Deployment whose latest spec has rolled out, of which some replicas are ready. */
    private static Optional<Deployment> deployment(int replicas, int ready) {
        return Optional.of(new DeploymentBuilder().withNewMetadata().withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(replicas).withUpdatedReplicas(replicas)
                    .withAvailableReplicas(ready).withReadyReplicas(ready).endStatus().build());
    }
}
