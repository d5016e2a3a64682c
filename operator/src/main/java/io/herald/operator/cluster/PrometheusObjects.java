package io.herald.operator.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.ClusterPlan;
import io.herald.operator.model.MonitoringModel;
import io.herald.operator.status.OptionalObjectsState;

/**
 * Brings a cluster's ServiceMonitor and PrometheusRule to its plan, as {@link OptionalObjects}: a
 * cluster without the Prometheus Operator must run as before and say why it is not monitored.
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
    static Optional<OptionalObjectsState> reconcile(KubernetesClient client, PushCluster cluster, ClusterPlan plan, boolean reported) {
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
            try {
                OptionalObjects.reconcile(client, MonitoringModel.definition(kind), cluster, names.cluster(), desired.get(kind));
                desired.get(kind).ifPresent(object -> inPlace.add(kind + " " + names.cluster()));
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    missing.add(MonitoringModel.plural(kind) + "." + MonitoringModel.GROUP);
                } else {
                    failures.add(kind + " " + names.cluster() + ": " + e.getMessage());
                }
            }
        }
        if (!missing.isEmpty() && wanted) {
            return Optional.of(new OptionalObjectsState(false, "PrometheusOperatorMissing", "The Prometheus Operator's CRDs are not "
                    + "installed (" + String.join(", ", missing) + " unknown to the API server): the cluster runs unmonitored. "
                    + "Install the Prometheus Operator or remove spec.monitoring"));
        }
        if (!failures.isEmpty()) {
            return Optional.of(new OptionalObjectsState(false, "MonitoringFailed", String.join("; ", failures)));
        }
        return wanted ? Optional.of(new OptionalObjectsState(true, "Monitored", String.join(" and ", inPlace) + " in place"))
                : Optional.empty();
    }
}
