package io.herald.operator.model;

import java.util.HashMap;
import java.util.Map;

import io.herald.contract.AppsSecret;
import io.herald.contract.LeaseNames;
import io.herald.operator.crd.v1alpha1.PushCluster;

/** Names and labels of what the operator creates for one PushCluster. */
public record ClusterNames(String cluster, String namespace) {

    public static final String MANAGED_BY = "herald-operator";
    public static final String MANAGED_BY_SELECTOR = "app.kubernetes.io/managed-by=" + MANAGED_BY;

    public static ClusterNames of(PushCluster cluster) {
        return new ClusterNames(cluster.getMetadata().getName(), cluster.getMetadata().getNamespace());
    }

    public String gateway() {
        return cluster + "-gateway";
    }

    public String router() {
        return cluster + "-router";
    }

    /** One account per tier, named like its Deployment: each gets only its own tier's rules. */
    public String serviceAccount(Component component) {
        return cluster + "-" + component.label();
    }

    /** The headless Service over every pod of the cluster, which its ServiceMonitor scrapes through. */
    public String metrics() {
        return cluster + "-metrics";
    }

    public String ingress() {
        return cluster;
    }

    public String appsSecret() {
        return AppsSecret.nameFor(cluster);
    }

    /** Labels on every object; the Lease label lets pods and operator agree on the cluster name. */
    public Map<String, String> labels() {
        return Map.of("app.kubernetes.io/name", "herald", "app.kubernetes.io/instance", cluster,
                "app.kubernetes.io/managed-by", MANAGED_BY, LeaseNames.CLUSTER_LABEL, cluster);
    }

    public Map<String, String> labels(Component component) {
        Map<String, String> labels = new HashMap<>(labels());
        labels.put("app.kubernetes.io/component", component.label());
        return Map.copyOf(labels);
    }

    /** Stays the same for the life of the Deployment: a selector cannot change. */
    public Map<String, String> selector(Component component) {
        return Map.of("app.kubernetes.io/name", "herald", "app.kubernetes.io/instance", cluster,
                "app.kubernetes.io/component", component.label());
    }

    public String selectorString(Component component) {
        return "app.kubernetes.io/component=" + component.label() + ",app.kubernetes.io/instance=" + cluster
                + ",app.kubernetes.io/name=herald";
    }
}
