package io.herald.operator.model;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.herald.operator.crd.v1alpha1.spec.MonitoringSpec;
import io.herald.operator.crd.v1alpha1.spec.PrometheusRuleSpec;
import io.herald.operator.crd.v1alpha1.spec.ServiceMonitorSpec;

/**
 * What Prometheus needs to watch one cluster: a headless Service over every gateway and router pod
 * (routers have no other Service), and the Prometheus Operator's ServiceMonitor and PrometheusRule.
 * Those two are generic resources, since their CRDs may not be installed and the operator must not
 * depend on their classes. The ServiceMonitor labels each series with the cluster and tier
 * ({@code herald_cluster}, {@code herald_tier}), which the alerts group and select by.
 */
public final class MonitoringModel {

    public static final String GROUP = "monitoring.coreos.com";
    public static final String API_VERSION = GROUP + "/v1";
    public static final String SERVICE_MONITOR = "ServiceMonitor";
    public static final String PROMETHEUS_RULE = "PrometheusRule";
    private static final Map<String, String> PLURALS = Map.of(SERVICE_MONITOR, "servicemonitors", PROMETHEUS_RULE,
            "prometheusrules");
    /** The metrics Service's port, which the ServiceMonitor names. */
    static final String METRICS_PORT = "metrics";
    static final String METRICS_PATH = "/q/metrics";
    private static final String COMPONENT = "metrics";

    private MonitoringModel() {
    }

    /**
     * Where the API serves a kind, given rather than discovered: the client would otherwise ask the
     * API server's discovery first, which tells a missing CRD no better than a create does.
     */
    public static ResourceDefinitionContext definition(String kind) {
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion("v1").withKind(kind)
                .withPlural(plural(kind)).withNamespaced(true).build();
    }

    /** The resource name of a kind, as RBAC and error messages spell it. */
    public static String plural(String kind) {
        return PLURALS.get(kind);
    }

    /** Headless: Prometheus scrapes each pod behind it, never a load-balanced address. */
    public static Service metricsService(ClusterNames names) {
        return new ServiceBuilder()
                .withNewMetadata().withName(names.metrics()).withNamespace(names.namespace())
                    .withLabels(metricsServiceLabels(names)).endMetadata()
                .withNewSpec()
                    .withClusterIP("None")
                    .withSelector(Map.of("app.kubernetes.io/name", "herald", "app.kubernetes.io/instance", names.cluster()))
                    .addNewPort().withName(METRICS_PORT).withPort(PodTemplates.HTTP_PORT)
                        .withTargetPort(new IntOrString("http")).withProtocol("TCP").endPort()
                .endSpec()
                .build();
    }

    public static Optional<GenericKubernetesResource> serviceMonitor(ClusterNames names, MonitoringSpec spec) {
        return Optional.ofNullable(spec).map(monitoring -> monitoring.serviceMonitor).filter(monitor -> monitor.enabled)
                .map(monitor -> serviceMonitor(names, monitor));
    }

    public static Optional<GenericKubernetesResource> prometheusRule(ClusterNames names, MonitoringSpec spec) {
        return Optional.ofNullable(spec).map(monitoring -> monitoring.prometheusRule).filter(rule -> rule.enabled)
                .map(rule -> prometheusRule(names, rule));
    }

    /** The label matchers that keep the alerts to this cluster's series. */
    public static String selector(ClusterNames names) {
        return "namespace=\"" + names.namespace() + "\",herald_cluster=\"" + names.cluster() + "\"";
    }

    private static GenericKubernetesResource serviceMonitor(ClusterNames names, ServiceMonitorSpec monitor) {
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("port", METRICS_PORT);
        endpoint.put("path", METRICS_PATH);
        endpoint.put("interval", monitor.interval);
        endpoint.put("relabelings", List.of(
                relabel("__meta_kubernetes_pod_label_app_kubernetes_io_instance", "herald_cluster"),
                relabel("__meta_kubernetes_pod_label_app_kubernetes_io_component", "herald_tier")));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("selector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "herald",
                "app.kubernetes.io/instance", names.cluster(), "app.kubernetes.io/component", COMPONENT)));
        spec.put("namespaceSelector", Map.of("matchNames", List.of(names.namespace())));
        spec.put("endpoints", List.of(endpoint));
        return resource(names, SERVICE_MONITOR, monitor.labels, spec);
    }

    private static GenericKubernetesResource prometheusRule(ClusterNames names, PrometheusRuleSpec rule) {
        return resource(names, PROMETHEUS_RULE, rule.labels, Map.of("groups", AlertRules.groups(selector(names))));
    }

    /** With the action the CRD would default, so that the object read back equals the plan. */
    private static Map<String, Object> relabel(String source, String target) {
        return Map.of("sourceLabels", List.of(source), "targetLabel", target, "action", "replace");
    }

    private static GenericKubernetesResource resource(ClusterNames names, String kind, Map<String, String> extraLabels,
            Map<String, Object> spec) {
        Map<String, String> labels = new HashMap<>(Optional.ofNullable(extraLabels).orElse(Map.of()));
        labels.putAll(names.labels());
        return new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION).withKind(kind)
                .withNewMetadata().withName(names.cluster()).withNamespace(names.namespace()).withLabels(labels).endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    private static Map<String, String> metricsServiceLabels(ClusterNames names) {
        Map<String, String> labels = new HashMap<>(names.labels());
        labels.put("app.kubernetes.io/component", COMPONENT);
        return Map.copyOf(labels);
    }
}
