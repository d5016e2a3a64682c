package io.herald.operator.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.ClusterPlan;
import io.herald.operator.model.MonitoringModel;
import io.herald.operator.status.MonitoringState;

/**
 * Brings a cluster's ServiceMonitor and PrometheusRule to its plan, with plain API calls rather than
 * as workflow dependents: a dependent watches its kind through an informer, and an informer on a
 * kind whose CRD is missing would keep the operator from starting, where a cluster without the
 * Prometheus Operator must run as before and say why it is not monitored. An API server without
 * the CRD answers 404 to a create, which no existing object can cause.
 *
 * <p>Calls are made only while the spec asks for monitoring or the status still reports it (so
 * that turning it off deletes what was made): one GET per kind and reconcile in the steady state.
 */
final class PrometheusObjects {

    private PrometheusObjects() {
    }

    /**
     * @param reported whether the status reports monitoring from an earlier reconcile
     * @return the outcome, or empty when monitoring is off and nothing is left to delete
     */
    static Optional<MonitoringState> reconcile(KubernetesClient client, PushCluster cluster, ClusterPlan plan, boolean reported) {
        Map<String, Optional<GenericKubernetesResource>> desired = Map.of(
                MonitoringModel.SERVICE_MONITOR, plan.serviceMonitor(), MonitoringModel.PROMETHEUS_RULE, plan.prometheusRule());
        boolean wanted = desired.values().stream().anyMatch(Optional::isPresent);
        if (!wanted && !reported) {
            return Optional.empty();
        }
        ClusterNames names = ClusterNames.of(cluster);
        List<String> missing = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> inPlace = new ArrayList<>();
        for (String kind : List.of(MonitoringModel.SERVICE_MONITOR, MonitoringModel.PROMETHEUS_RULE)) {
            NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> objects =
                    client.genericKubernetesResources(MonitoringModel.definition(kind)).inNamespace(names.namespace());
            Resource<GenericKubernetesResource> existing = objects.withName(names.cluster());
            try {
                Optional<GenericKubernetesResource> object = desired.get(kind);
                if (object.isPresent()) {
                    apply(objects, existing, owned(object.get(), cluster));
                    inPlace.add(kind + " " + names.cluster());
                } else {
                    existing.delete();
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    missing.add(MonitoringModel.plural(kind) + "." + MonitoringModel.GROUP);
                } else {
                    failures.add(kind + " " + names.cluster() + ": " + e.getMessage());
                }
            }
        }
        if (!missing.isEmpty() && wanted) {
            return Optional.of(new MonitoringState(false, "PrometheusOperatorMissing", "The Prometheus Operator's CRDs are not "
                    + "installed (" + String.join(", ", missing) + " unknown to the API server): the cluster runs unmonitored. "
                    + "Install the Prometheus Operator or remove spec.monitoring"));
        }
        if (!failures.isEmpty()) {
            return Optional.of(new MonitoringState(false, "MonitoringFailed", String.join("; ", failures)));
        }
        return wanted ? Optional.of(new MonitoringState(true, "Monitored", String.join(" and ", inPlace) + " in place"))
                : Optional.empty();
    }

    /** A create for a new object, an update only when labels, owner or spec differ from the plan. */
    private static void apply(NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> objects, Resource<GenericKubernetesResource> existing,
            GenericKubernetesResource desired) {
        GenericKubernetesResource current = existing.get();
        if (current == null) {
            objects.resource(desired).create();
        } else if (!Objects.equals(current.getMetadata().getLabels(), desired.getMetadata().getLabels())
                || !Objects.equals(current.getMetadata().getOwnerReferences(), desired.getMetadata().getOwnerReferences())
                || !Objects.equals(current.getAdditionalProperties().get("spec"), desired.getAdditionalProperties().get("spec"))) {
            desired.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
            objects.resource(desired).update();
        }
    }

    /** Controlled by the cluster, as its other objects are: deleting the cluster deletes them. */
    private static GenericKubernetesResource owned(GenericKubernetesResource object, PushCluster cluster) {
        object.getMetadata().setOwnerReferences(List.of(PlannedDependentResource.controllerReference(cluster)));
        return object;
    }
}
