package io.herald.operator.apps;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.herald.contract.AppsSecret;
import io.herald.operator.cluster.SecretReader;
import io.herald.operator.cluster.SecretReaders;
import io.herald.operator.cluster.SecretReferences;
import io.herald.operator.cluster.WatchedSecrets;
import io.herald.operator.crd.v1alpha1.PushApp;
import io.herald.operator.crd.v1alpha1.PushAppStatus;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.status.Conditions;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * Reports whether a PushApp is served. Publishing itself is the cluster's job (its apps Secret);
 * this says Ready once the gateways' Secret carries the app, and otherwise what is wrong: no such
 * cluster, a cluster the operator cannot see or that does not serve the app's namespace, or an app
 * the cluster leaves out.
 */
@ControllerConfiguration(name = "pushapp",
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 30, timeUnit = TimeUnit.SECONDS))
public class PushAppReconciler implements Reconciler<PushApp> {

    Clock clock = Clock.systemUTC();

    /**
     * A rotated secret or a rewritten apps Secret reconciles the apps concerned at once; so does a
     * cluster created, deleted or respecified (its tenancy), which the app reads from the
     * informer's cache rather than with a GET per reconcile.
     */
    @Override
    public List<EventSource<?, PushApp>> prepareEventSources(EventSourceContext<PushApp> context) {
        var clusters = InformerEventSourceConfiguration.from(PushCluster.class, PushApp.class)
                .withName("clusters")
                .withPrimaryToSecondaryMapper((PrimaryToSecondaryMapper<PushApp>) app -> ClusterRefs.of(app).map(Set::of)
                        .orElse(Set.of()))
                .withSecondaryToPrimaryMapper(cluster -> context.getPrimaryCache()
                        .list(app -> ClusterRefs.of(app).filter(ResourceID.fromResource(cluster)::equals).isPresent())
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                // Status changes with every rollout and scaling step; apps depend only on the spec.
                .withOnUpdateFilter((old, updated) -> !Objects.equals(old.getMetadata().getGeneration(),
                        updated.getMetadata().getGeneration()))
                .build();
        return List.of(WatchedSecrets.eventSource(PushApp.class, context,
                secret -> SecretReferences.apps(secret, context.getPrimaryCache().list())),
                new InformerEventSource<>(clusters, context));
    }

    @Override
    public UpdateControl<PushApp> reconcile(PushApp app, Context<PushApp> context) {
        String namespace = app.getMetadata().getNamespace();
        String clusterNamespace = ClusterRefs.namespace(app);
        SecretReaders readers = WatchedSecrets.readers(context);
        SecretReader secrets = readers.in(namespace);
        Conditions conditions = new Conditions(app.getStatus(), app.getMetadata().getGeneration(), clock.instant());
        String clusterName = Optional.ofNullable(app.getSpec()).map(spec -> spec.cluster).orElse("(none)");
        Optional<PushCluster> cluster = context.getSecondaryResource(PushCluster.class);
        if (!watched(context, clusterNamespace)) {
            notServed(conditions, "ClusterNotWatched", "PushCluster " + clusterName + " is in namespace " + clusterNamespace
                    + ", which this operator does not watch: an app and its cluster in two namespaces need an operator "
                    + "that watches both");
        } else if (cluster.isEmpty()) {
            notServed(conditions, "ClusterNotFound", "PushCluster " + clusterName + " does not exist in namespace "
                    + clusterNamespace);
        } else if (!Tenancy.shares(cluster.get(), namespace)) {
            notServed(conditions, "ClusterNotShared", Tenancy.notShared(cluster.get(), namespace));
        } else {
            // From the informer's cache: a list call per reconcile would cost the API server a list per app.
            List<PushApp> siblings = Tenancy.served(cluster.get(), context.getPrimaryCache()
                    .list(other -> ClusterRefs.of(other).equals(ClusterRefs.of(app))).toList());
            String label = ClusterRefs.label(app, clusterNamespace);
            String clusterLabel = ClusterRefs.label(cluster.get(), namespace);
            Optional<String> problem = AppCatalog.of(clusterNamespace, AppCatalog.contending(siblings, app), readers::appSecret)
                    .problemOf(label);
            if (problem.isPresent()) {
                notServed(conditions, "InvalidApp", problem.get());
            } else if (published(readers.in(clusterNamespace).secret(AppsSecret.nameFor(clusterName)), app)) {
                conditions.ready(true, "Published", "Served by the gateways of PushCluster " + clusterLabel)
                        .warnings(secrets.unlabelledWarnings(), "SecretNotWatched");
            } else {
                conditions.ready(false, "Publishing", "Waiting for PushCluster " + clusterLabel + " to publish the app")
                        .warnings(secrets.unlabelledWarnings(), "SecretNotWatched");
            }
        }
        PushAppStatus status = new PushAppStatus();
        status.observedGeneration = app.getMetadata().getGeneration();
        status.conditions = conditions.build();
        if (Serialization.asJson(status).equals(Serialization.asJson(app.getStatus()))) {
            return UpdateControl.noUpdate();
        }
        app.setStatus(status);
        return UpdateControl.patchStatus(app);
    }

    private static void notServed(Conditions conditions, String reason, String message) {
        conditions.ready(false, reason, message).warnings(List.of(message), reason);
    }

    /** Whether this operator's informers hold the namespace's PushClusters at all. */
    private static boolean watched(Context<PushApp> context, String namespace) {
        Set<String> namespaces = context.getControllerConfiguration().getEffectiveNamespaces();
        return InformerConfiguration.allNamespacesWatched(namespaces) || namespaces.contains(namespace);
    }

    private static boolean published(Optional<Secret> appsSecret, PushApp app) {
        return appsSecret.flatMap(secret -> SecretReader.value(secret, AppsSecret.KEY))
                .map(json -> List.of(Serialization.unmarshal(json, PublishedApp[].class)))
                .map(apps -> apps.stream().anyMatch(published -> published.id().equals(app.getSpec().appId)
                        && published.key().equals(app.getSpec().key)))
                .orElse(false);
    }
}
