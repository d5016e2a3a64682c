package io.herald.operator.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.herald.contract.LeaseNames;
import io.herald.operator.crd.v1alpha1.Condition;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.crd.v1alpha1.PushClusterStatus;
import io.herald.operator.crd.v1alpha1.PushClusterStatus.ShardOwner;
import io.herald.operator.members.ArchiveReports.Report;

/**
 * The one place that decides a PushCluster's status. Callers report what they found; {@link #build}
 * turns it into conditions and counts.
 */
public final class ClusterStatusAggregator {

    private final PushCluster cluster;
    private final Instant now;
    private final List<String> errors = new ArrayList<>();
    private String failure;
    private final List<String> warnings = new ArrayList<>();
    private Optional<Deployment> gateways = Optional.empty();
    private Optional<Deployment> routers = Optional.empty();
    private Integer desiredGateways;
    private Long connections;
    private List<ShardOwner> shardOwners = List.of();
    private String selector;
    private String endpoint;
    private Optional<List<Report>> archive = Optional.empty();
    private int shards;
    /** Empty until the monitoring step ran; then empty inside when monitoring is off. */
    private Optional<Optional<OptionalObjectsState>> monitoring = Optional.empty();
    /** As {@link #monitoring}, for the HTTPRoute. */
    private Optional<Optional<OptionalObjectsState>> route = Optional.empty();

    public ClusterStatusAggregator(PushCluster cluster, Instant now) {
        this.cluster = cluster;
        this.now = now;
    }

    public ClusterStatusAggregator specErrors(List<String> messages) {
        errors.addAll(messages);
        return this;
    }

    /** The reconcile itself failed (the API server refused a write, say); JOSDK retries it. */
    public ClusterStatusAggregator failure(String message) {
        this.failure = message;
        return this;
    }

    public ClusterStatusAggregator warnings(List<String> messages) {
        warnings.addAll(messages);
        return this;
    }

    public ClusterStatusAggregator appProblems(Map<String, String> problems) {
        problems.forEach((app, problem) -> warnings.add("PushApp " + app + " is not served: " + problem));
        return this;
    }

    public ClusterStatusAggregator gateways(Optional<Deployment> deployment, int desired, long connections,
            String selector) {
        this.gateways = deployment;
        this.desiredGateways = desired;
        this.connections = connections;
        this.selector = selector;
        return this;
    }

    /** @param shards the cluster's shard count, which {@code shardOwners} divide among them */
    public ClusterStatusAggregator routers(Optional<Deployment> deployment, List<ShardOwner> shardOwners, int shards) {
        this.routers = deployment;
        this.shardOwners = List.copyOf(shardOwners);
        this.shards = shards;
        return this;
    }

    /**
     * What became of the ServiceMonitor and PrometheusRule, or empty when monitoring is off and
     * nothing of it is left. Without this call the previous MonitoringReady condition stays, so that
     * a reconcile that stopped early (an invalid spec) does not forget objects it must delete later.
     */
    public ClusterStatusAggregator monitoring(Optional<OptionalObjectsState> state) {
        this.monitoring = Optional.of(state);
        return this;
    }

    /** What became of the HTTPRoute, or empty when it is off and gone; kept as {@link #monitoring} keeps its condition. */
    public ClusterStatusAggregator route(Optional<OptionalObjectsState> state) {
        this.route = Optional.of(state);
        return this;
    }

    /** What the live routers report about the MongoDB archive; only for a cluster with spec.mongodb. */
    public ClusterStatusAggregator archive(List<Report> reports) {
        this.archive = Optional.of(List.copyOf(reports));
        return this;
    }

    public ClusterStatusAggregator endpoint(String endpoint) {
        this.endpoint = endpoint;
        return this;
    }

    public PushClusterStatus build() {
        PushClusterStatus previous = cluster.getStatus();
        PushClusterStatus status = new PushClusterStatus();
        status.observedGeneration = cluster.getMetadata().getGeneration();
        int readyGateways = readyReplicas(gateways);
        int readyRouters = readyReplicas(routers);
        status.gateways.desired = desiredGateways;
        status.gateways.ready = readyGateways;
        status.gateways.connections = connections;
        status.gateways.selector = selector;
        status.routers.ready = readyRouters;
        status.routers.shardOwners = shardOwners;
        status.routers.shards = shards;
        status.routers.ownedShards = shardOwners.stream().mapToInt(owner -> owner.shards).sum();
        status.endpoint = endpoint;
        if (previous != null && (!errors.isEmpty() || failure != null)) {
            // Nothing was changed, so the last known counts still describe the cluster.
            status.gateways = previous.gateways;
            status.routers = previous.routers;
            status.endpoint = previous.endpoint;
        }
        Conditions conditions = new Conditions(previous, Optional.ofNullable(status.observedGeneration).orElse(0L), now);
        if (failure != null) {
            String message = "The operator could not bring the cluster to its spec and retries: " + failure;
            conditions.ready(false, "ReconcileFailed", message).progressing(false, "ReconcileFailed", message);
        } else if (!errors.isEmpty()) {
            String message = "The operator left the cluster as it was: " + String.join("; ", errors);
            conditions.ready(false, "InvalidSpec", message).progressing(false, "InvalidSpec", message);
        } else {
            rolloutConditions(conditions, readyGateways, readyRouters);
        }
        List<String> allWarnings = new ArrayList<>();
        if (failure != null) {
            allWarnings.add("reconcile failed: " + failure);
        }
        allWarnings.addAll(errors);
        allWarnings.addAll(warnings);
        conditions.warnings(allWarnings, failure != null ? "ReconcileFailed" : errors.isEmpty() ? "NeedsAttention" : "InvalidSpec");
        archive.ifPresent(reports -> archiveHealthy(conditions, reports));
        optionalObjects(conditions, Condition.MONITORING_READY, monitoring);
        optionalObjects(conditions, Condition.ROUTE_READY, route);
        status.conditions = conditions.build();
        return status;
    }

    /** The condition of this reconcile's outcome, none when it found nothing to do, the previous one when it did not look. */
    private static void optionalObjects(Conditions conditions, String type, Optional<Optional<OptionalObjectsState>> outcome) {
        outcome.ifPresentOrElse(state -> state.ifPresent(s -> conditions.optionalObjects(type, s)), () -> conditions.keep(type));
    }

    /**
     * ArchiveHealthy from the routers' reports: False as soon as one router cannot write to
     * MongoDB, with BacklogFull (events are being dropped) taking precedence over MongoUnreachable.
     */
    private static void archiveHealthy(Conditions conditions, List<Report> reports) {
        long backlog = reports.stream().mapToLong(Report::backlog).sum();
        List<Report> unhealthy = reports.stream().filter(report -> !report.healthy()).toList();
        if (reports.isEmpty()) {
            conditions.archiveHealthy("Unknown", "NotReported", "No live router has reported on the MongoDB archive yet");
        } else if (unhealthy.isEmpty()) {
            conditions.archiveHealthy("True", "Archiving", reports.size() + " routers archive to MongoDB; backlog "
                    + backlog + " events");
        } else {
            String reason = unhealthy.stream().anyMatch(report -> LeaseNames.ARCHIVE_BACKLOG_FULL.equals(report.state()))
                    ? LeaseNames.ARCHIVE_BACKLOG_FULL : LeaseNames.ARCHIVE_MONGO_UNREACHABLE;
            conditions.archiveHealthy("False", reason, "Backlog " + backlog + " events. " + String.join(" ", unhealthy.stream()
                    .map(report -> report.router() + ": " + report.message()).toList()));
        }
    }

    /**
     * Ready only once both tiers run the spec's generation on every replica and serve; Progressing
     * while either is still rolling it out. Ready pods alone would make Ready True half-way through
     * a rollout, with old pods still serving.
     */
    private void rolloutConditions(Conditions conditions, int readyGateways, int readyRouters) {
        List<Rollout> rollouts = List.of(Rollout.of("gateways", gateways), Rollout.of("routers", routers));
        String counts = counts(readyGateways, readyRouters);
        List<String> stalled = messages(rollouts, Rollout.State.STALLED);
        List<String> progressing = messages(rollouts, Rollout.State.PROGRESSING);
        if (!stalled.isEmpty()) {
            conditions.progressing(false, Rollout.DEADLINE_EXCEEDED, String.join("; ", stalled));
        } else if (!progressing.isEmpty()) {
            conditions.progressing(true, "RollingOut", String.join("; ", progressing));
        } else {
            conditions.progressing(false, "RolloutComplete", String.join("; ", messages(rollouts, Rollout.State.COMPLETE)));
        }
        if (readyGateways < 1) {
            conditions.ready(false, "GatewaysNotReady", counts);
        } else if (readyRouters < 1) {
            conditions.ready(false, "RoutersNotReady", counts);
        } else if (!stalled.isEmpty()) {
            conditions.ready(false, Rollout.DEADLINE_EXCEEDED, counts + "; " + String.join("; ", stalled));
        } else if (!progressing.isEmpty()) {
            conditions.ready(false, "RollingOut", counts + "; " + String.join("; ", progressing));
        } else {
            conditions.ready(true, "ClusterReady", counts);
        }
    }

    private static List<String> messages(List<Rollout> rollouts, Rollout.State state) {
        return rollouts.stream().filter(rollout -> rollout.state() == state).map(Rollout::message).toList();
    }

    private String counts(int readyGateways, int readyRouters) {
        return readyGateways + "/" + desiredGateways + " gateways and " + readyRouters + "/"
                + routers.map(d -> d.getSpec().getReplicas()).orElse(0) + " routers ready";
    }

    private static int readyReplicas(Optional<Deployment> deployment) {
        return deployment.map(Deployment::getStatus).map(s -> s.getReadyReplicas()).orElse(0);
    }
}
