package io.herald.operator.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.herald.contract.LeaseNames;
import io.herald.contract.PodSettings;
import io.herald.operator.BestEffortCalls;
import io.herald.operator.OperatorSettings;
import io.herald.operator.apps.AppCatalog;
import io.herald.operator.apps.ClusterRefs;
import io.herald.operator.apps.Tenancy;
import io.herald.operator.crd.v1alpha1.Condition;
import io.herald.operator.crd.v1alpha1.PushApp;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.crd.v1alpha1.PushClusterSpec;
import io.herald.operator.crd.v1alpha1.PushClusterStatus;
import io.herald.operator.crd.v1alpha1.spec.GatewaySpec;
import io.herald.operator.crd.v1alpha1.spec.ScalingMode;
import io.herald.operator.members.ArchiveReports;
import io.herald.operator.members.PodLeases;
import io.herald.operator.members.ShardOwners;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.ClusterPlan;
import io.herald.operator.model.Component;
import io.herald.operator.model.Images;
import io.herald.operator.scaling.DeletionCost;
import io.herald.operator.scaling.GatewayLoad;
import io.herald.operator.scaling.ScaleHistory;
import io.herald.operator.scaling.ScalingDecision;
import io.herald.operator.scaling.ScalingMetrics;
import io.herald.operator.scaling.ScalingPolicy;
import io.herald.operator.status.ClusterStatusAggregator;
import io.herald.operator.status.TimeToReady;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * Turns a PushCluster into running gateways and routers. Each reconcile, in order: check the spec,
 * publish the cluster's apps, decide the gateway count from the gateways' Leases, let the workflow
 * bring every owned object to the plan, bring the optional Prometheus Operator objects and HTTPRoute
 * to it ({@link PrometheusObjects}, {@link HttpRouteObject}), and report status.
 *
 * <p>Its PushApps are those that name it, from any namespace the operator watches, less those of
 * namespaces it does not share itself with ({@link Tenancy}): those never reach the apps Secret.
 *
 * <p>Reconciles come from changes to the cluster, its owned objects, its PushApps, the labelled
 * Secrets it or its apps reference ({@link WatchedSecrets}) and its pods' Leases, and at least
 * every few seconds so Leases can expire and scale-down windows can pass.
 */
@ControllerConfiguration(name = "pushcluster",
        // A reconcile that failed its last retry reschedules nothing; without this JOSDK would wait 10 hours.
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 30, timeUnit = TimeUnit.SECONDS))
@Workflow(explicitInvocation = true, dependents = {
        @Dependent(name = "gateway-service-account", type = ServiceAccountDependentResource.Gateway.class),
        @Dependent(name = "gateway-role", type = RoleDependentResource.Gateway.class),
        @Dependent(name = "gateway-role-binding", type = RoleBindingDependentResource.Gateway.class),
        @Dependent(name = "router-service-account", type = ServiceAccountDependentResource.Router.class),
        @Dependent(name = "router-role", type = RoleDependentResource.Router.class),
        @Dependent(name = "router-role-binding", type = RoleBindingDependentResource.Router.class),
        @Dependent(name = "apps-secret", type = AppsSecretDependentResource.class),
        @Dependent(name = "router-deployment", type = RouterDeploymentDependentResource.class),
        @Dependent(name = "router-pdb", type = RouterDisruptionBudgetDependentResource.class),
        @Dependent(name = "gateway-deployment", type = GatewayDeploymentDependentResource.class),
        @Dependent(name = "gateway-service", type = GatewayServiceDependentResource.class),
        @Dependent(name = "gateway-pdb", type = GatewayDisruptionBudgetDependentResource.class),
        @Dependent(name = "metrics-service", type = MetricsServiceDependentResource.class),
        @Dependent(name = "ingress", type = IngressDependentResource.class,
                reconcilePrecondition = IngressDependentResource.Configured.class),
        @Dependent(name = "gateway-network-policy", type = NetworkPolicyDependentResource.Gateway.class,
                reconcilePrecondition = NetworkPolicyDependentResource.Configured.class),
        @Dependent(name = "router-network-policy", type = NetworkPolicyDependentResource.Router.class,
                reconcilePrecondition = NetworkPolicyDependentResource.Configured.class),
})
public class PushClusterReconciler implements Reconciler<PushCluster> {

    private static final Logger LOG = Logger.getLogger(PushClusterReconciler.class);
    static final String LEASES = "leases";
    static final String APPS = "apps";

    @Inject
    OperatorSettings settings;

    @Inject
    ClusterEvents events;

    @Inject
    ScalingMetrics scalingMetrics;

    @Inject
    BestEffortCalls bestEffortCalls;

    @Inject
    TimeToReady timeToReady;

    Clock clock = Clock.systemUTC();

    /** By the cluster's UID, so that a cluster deleted and created again under its name starts a new window. */
    private final Map<String, ScaleHistory> histories = new ConcurrentHashMap<>();

    @Override
    public List<EventSource<?, PushCluster>> prepareEventSources(EventSourceContext<PushCluster> context) {
        var leases = InformerEventSourceConfiguration.from(Lease.class, PushCluster.class)
                .withName(LEASES)
                .withLabelSelector(LeaseNames.CLUSTER_LABEL)
                .withSecondaryToPrimaryMapper(lease -> Set.of(new ResourceID(
                        lease.getMetadata().getLabels().get(LeaseNames.CLUSTER_LABEL), lease.getMetadata().getNamespace())))
                // Renewals alone change nothing the operator acts on; the resync notices expiry.
                .withOnUpdateFilter((old, updated) -> !Optional.ofNullable(old.getSpec().getHolderIdentity())
                        .equals(Optional.ofNullable(updated.getSpec().getHolderIdentity()))
                        || PodLeases.connections(old) != PodLeases.connections(updated)
                        || ArchiveReports.stateChanged(old, updated))
                .build();
        var apps = InformerEventSourceConfiguration.from(PushApp.class, PushCluster.class)
                .withName(APPS)
                .withSecondaryToPrimaryMapper(app -> ClusterRefs.of(app).map(Set::of).orElse(Set.of()))
                .build();
        InformerEventSource<PushApp, PushCluster> appSource = new InformerEventSource<>(apps, context);
        var secrets = WatchedSecrets.eventSource(PushCluster.class, context, secret -> SecretReferences.clusters(secret,
                context.getPrimaryCache().list(), appSource.list(app -> true)));
        return List.of(new InformerEventSource<>(leases, context), appSource, secrets);
    }

    @Override
    public UpdateControl<PushCluster> reconcile(PushCluster cluster, Context<PushCluster> context) {
        Instant now = clock.instant();
        forgetDeletedClusters(context);
        ClusterNames names = ClusterNames.of(cluster);
        SecretReaders readers = WatchedSecrets.readers(context);
        SecretReader secrets = readers.in(names.namespace());
        Optional<Deployment> gatewayDeployment = deployment(context, names.gateway());
        Optional<Deployment> routerDeployment = deployment(context, names.router());
        List<Lease> leases = context.getSecondaryResourcesAsStream(Lease.class).toList();
        ClusterStatusAggregator status = new ClusterStatusAggregator(cluster, now);

        ClusterSpecCheck check = ClusterSpecCheck.of(names.cluster(), cluster.getSpec(), routerDeployment.flatMap(PushClusterReconciler::shards),
                secrets::hasValue, secrets::exists);
        status.specErrors(check.errors()).warnings(check.warnings());
        if (!check.errors().isEmpty()) {
            if (!alreadyReportedInvalid(cluster)) {
                events.invalidSpec(cluster, check.errors());
            }
            return update(cluster, status.warnings(secrets.unlabelledWarnings()).build());
        }

        // JOSDK's index of secondaries only ever adds a mapping, so an app moved to another cluster
        // would stay among this one's; its spec decides. (This cluster learns of the move at its next resync.)
        Optional<ResourceID> self = Optional.of(ResourceID.fromResource(cluster));
        List<PushApp> apps = Tenancy.served(cluster, context.getSecondaryResourcesAsStream(PushApp.class)
                .filter(app -> ClusterRefs.of(app).equals(self)).toList());
        AppCatalog catalog = AppCatalog.of(names.namespace(), apps, readers::appSecret);
        status.appProblems(catalog.problems());

        List<Lease> liveGateways = PodLeases.live(leases, "gateway", now);
        GatewayLoad load = GatewayLoad.of(liveGateways);
        int gatewayReplicas = gatewayReplicas(cluster, gatewayDeployment, load, now);
        if (gatewayDeployment.isPresent() && gatewayReplicas < gatewayDeployment.get().getSpec().getReplicas()) {
            DeletionCost.mark(context.getClient(), names.namespace(), liveGateways, bestEffortCalls);
        }
        Images images = Images.resolve(cluster.getSpec().images, settings.gatewayImage(), settings.routerImage());
        ClusterPlan plan = ClusterPlan.of(names, cluster.getSpec(), gatewayReplicas, images, catalog.published(),
                secrets.digest(SecretReferences.podSecrets(cluster.getSpec()).toList()));
        context.managedWorkflowAndDependentResourceContext().put(ClusterPlan.class, plan);
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
        status.monitoring(PrometheusObjects.reconcile(context.getClient(), cluster, plan, reported(cluster, Condition.MONITORING_READY)))
                .route(HttpRouteObject.reconcile(context.getClient(), cluster, plan, reported(cluster, Condition.ROUTE_READY)));

        GatewaySpec gateway = cluster.getSpec().gateway;
        if (gateway.scaling == ScalingMode.Connections && load.connections() > (long) gateway.maxReplicas * gateway.targetConnectionsPerPod) {
            status.warnings(List.of("gateways are at maxReplicas (" + gateway.maxReplicas + ") and hold " + load.connections()
                    + " connections, more than maxReplicas x targetConnectionsPerPod"));
        }
        status.gateways(deployment(context, names.gateway()), gatewayReplicas, load.connections(),
                        names.selectorString(Component.GATEWAY))
                .routers(deployment(context, names.router()), ShardOwners.of(PodLeases.live(leases, "router", now),
                        cluster.getSpec().router.shards), cluster.getSpec().router.shards)
                .endpoint(endpoint(cluster.getSpec(), plan, secondary(context, Service.class, names.gateway())));
        if (cluster.getSpec().mongodb != null) {
            status.archive(ArchiveReports.of(PodLeases.live(leases, "router", now)));
        }
        PushClusterStatus built = status.warnings(secrets.unlabelledWarnings()).build();
        timeToReady.observe(cluster, built, now);
        return update(cluster, built);
    }

    @Override
    public ErrorStatusUpdateControl<PushCluster> updateErrorStatus(PushCluster cluster, Context<PushCluster> context,
            Exception e) {
        LOG.warnf(e, "Reconciling PushCluster %s/%s failed", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName());
        PushClusterStatus status = new ClusterStatusAggregator(cluster, clock.instant())
                .failure(e.getMessage()).build();
        cluster.setStatus(status);
        return ErrorStatusUpdateControl.patchStatus(cluster);
    }

    private int gatewayReplicas(PushCluster cluster, Optional<Deployment> deployment, GatewayLoad load, Instant now) {
        GatewaySpec gateway = cluster.getSpec().gateway;
        ScalingPolicy policy = ScalingPolicy.of(gateway);
        if (gateway.scaling == ScalingMode.External) {
            return policy.clamp(Optional.ofNullable(gateway.replicas).orElse(gateway.minReplicas));
        }
        Optional<Integer> current = deployment.map(d -> d.getSpec().getReplicas());
        if (current.isEmpty()) {
            return policy.recommend(load.connections());
        }
        ScaleHistory history = histories.computeIfAbsent(cluster.getMetadata().getUid(), uid -> new ScaleHistory());
        ScalingDecision decision = ScalingDecision.decide(current.get(), load.connections(), policy, history, now);
        scalingMetrics.decided(decision);
        if (decision.replicas() != current.get()) {
            events.scaled(cluster, current.get(), decision, load.connections());
        }
        return decision.replicas();
    }

    /**
     * Drops the scale-down windows and Ready timings of clusters the informer no longer holds. JOSDK
     * calls no reconciler for a deleted resource that has no finalizer, and a finalizer only for this
     * would keep PushClusters (and their namespaces) from being deleted while no operator runs; so
     * every reconcile, of any cluster, prunes what the deleted ones left.
     */
    private void forgetDeletedClusters(Context<PushCluster> context) {
        Set<String> existing = context.getPrimaryCache().list().map(cluster -> cluster.getMetadata().getUid())
                .collect(Collectors.toSet());
        histories.keySet().retainAll(existing);
        timeToReady.retain(existing);
    }

    /** The UIDs of the clusters whose scale-down window the operator keeps. */
    Set<String> clustersWithScaleHistory() {
        return Set.copyOf(histories.keySet());
    }

    private UpdateControl<PushCluster> update(PushCluster cluster, PushClusterStatus status) {
        Duration resync = Duration.ofSeconds(settings.resyncSeconds());
        if (Serialization.asJson(status).equals(Serialization.asJson(cluster.getStatus()))) {
            return UpdateControl.<PushCluster>noUpdate().rescheduleAfter(resync);
        }
        cluster.setStatus(status);
        return UpdateControl.patchStatus(cluster).rescheduleAfter(resync);
    }

    private static Optional<Deployment> deployment(Context<PushCluster> context, String name) {
        return secondary(context, Deployment.class, name);
    }

    private static <R extends HasMetadata> Optional<R> secondary(Context<PushCluster> context, Class<R> type, String name) {
        return context.getSecondaryResourcesAsStream(type).filter(r -> name.equals(r.getMetadata().getName())).findFirst();
    }

    /** Without an Ingress, a LoadBalancer Service's address, once the cloud has assigned one, is where clients connect. */
    private static String endpoint(PushClusterSpec spec, ClusterPlan plan, Optional<Service> gatewayService) {
        if (spec.ingress != null) {
            return plan.endpoint();
        }
        return gatewayService.map(Service::getStatus).map(ServiceStatus::getLoadBalancer)
                .map(LoadBalancerStatus::getIngress).flatMap(addresses -> addresses.stream().findFirst())
                .map(address -> address.getHostname() != null ? address.getHostname() : address.getIp())
                .map(address -> "ws://" + address)
                .orElse(plan.endpoint());
    }

    /** Whether the last status has the condition: then its objects may exist and must be deleted when turned off. */
    private static boolean reported(PushCluster cluster, String condition) {
        return Optional.ofNullable(cluster.getStatus()).flatMap(previous -> previous.condition(condition)).isPresent();
    }

    /** One Event per refused generation, not one per resync. */
    private static boolean alreadyReportedInvalid(PushCluster cluster) {
        return Optional.ofNullable(cluster.getStatus()).flatMap(status -> status.condition(Condition.READY))
                .filter(ready -> "InvalidSpec".equals(ready.reason))
                .filter(ready -> Objects.equals(ready.observedGeneration, cluster.getMetadata().getGeneration()))
                .isPresent();
    }

    private static Optional<Integer> shards(Deployment routers) {
        return routers.getSpec().getTemplate().getSpec().getContainers().stream()
                .flatMap(container -> Optional.ofNullable(container.getEnv()).orElse(List.of()).stream())
                .filter(env -> PodSettings.env(PodSettings.CLUSTER_SHARDS).equals(env.getName())).map(EnvVar::getValue)
                .findFirst().map(Integer::valueOf);
    }
}
