package io.herald.operator.apps;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.herald.contract.AppsSecret;
import io.herald.operator.cluster.SecretReader;
import io.herald.operator.cluster.SecretReferences;
import io.herald.operator.cluster.WatchedSecrets;
import io.herald.operator.crd.v1alpha1.PushApp;
import io.herald.operator.crd.v1alpha1.PushAppStatus;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.status.Conditions;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;

/**
 * Reports whether a PushApp is served. Publishing itself is the cluster's job (its apps Secret);
 * this says Ready once the gateways' Secret carries the app, and otherwise what is wrong.
 */
@ControllerConfiguration(name = "pushapp",
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 30, timeUnit = TimeUnit.SECONDS))
public class PushAppReconciler implements Reconciler<PushApp> {

    Clock clock = Clock.systemUTC();

    /** A rotated secret or a rewritten apps Secret reconciles the apps concerned at once. */
    @Override
    public List<EventSource<?, PushApp>> prepareEventSources(EventSourceContext<PushApp> context) {
        return List.of(WatchedSecrets.eventSource(PushApp.class, context,
                secret -> SecretReferences.apps(secret, context.getPrimaryCache().list())));
    }

    @Override
    public UpdateControl<PushApp> reconcile(PushApp app, Context<PushApp> context) {
        String namespace = app.getMetadata().getNamespace();
        SecretReader secrets = WatchedSecrets.reader(context, namespace);
        Conditions conditions = new Conditions(app.getStatus(), app.getMetadata().getGeneration(), clock.instant());
        Optional<String> clusterName = Optional.ofNullable(app.getSpec()).map(spec -> spec.cluster);
        PushCluster cluster = clusterName.map(name -> context.getClient().resources(PushCluster.class)
                .inNamespace(namespace).withName(name).get()).orElse(null);
        if (cluster == null) {
            String message = "PushCluster " + clusterName.orElse("(none)") + " does not exist in namespace " + namespace;
            conditions.ready(false, "ClusterNotFound", message).warnings(List.of(message), "ClusterNotFound");
        } else {
            // From the informer's cache: a list call per reconcile would cost the API server a list per app.
            List<PushApp> siblings = context.getPrimaryCache().list(other -> namespace.equals(other.getMetadata().getNamespace())
                    && other.getSpec() != null && app.getSpec().cluster.equals(other.getSpec().cluster)).toList();
            String name = app.getMetadata().getName();
            Optional<String> problem = AppCatalog.of(AppCatalog.contending(siblings, name), secrets::value).problemOf(name);
            if (problem.isPresent()) {
                conditions.ready(false, "InvalidApp", problem.get()).warnings(List.of(problem.get()), "InvalidApp");
            } else if (published(secrets.secret(AppsSecret.nameFor(cluster.getMetadata().getName())), app)) {
                conditions.ready(true, "Published", "Served by the gateways of PushCluster " + cluster.getMetadata().getName())
                        .warnings(secrets.unlabelledWarnings(), "SecretNotWatched");
            } else {
                conditions.ready(false, "Publishing", "Waiting for PushCluster " + cluster.getMetadata().getName()
                        + " to publish the app").warnings(secrets.unlabelledWarnings(), "SecretNotWatched");
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

    private static boolean published(Optional<Secret> appsSecret, PushApp app) {
        return appsSecret.flatMap(secret -> SecretReader.value(secret, AppsSecret.KEY))
                .map(json -> List.of(Serialization.unmarshal(json, PublishedApp[].class)))
                .map(apps -> apps.stream().anyMatch(published -> published.id().equals(app.getSpec().appId)
                        && published.key().equals(app.getSpec().key)))
                .orElse(false);
    }
}
