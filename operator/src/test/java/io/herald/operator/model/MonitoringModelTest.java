package io.herald.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.PushClusterSpec;
import io.herald.operator.crd.v1alpha1.spec.MonitoringSpec;
import io.herald.operator.crd.v1alpha1.spec.NetworkPolicySpec;
import io.herald.operator.crd.v1alpha1.spec.PrometheusRuleSpec;
import io.herald.operator.crd.v1alpha1.spec.ServiceMonitorSpec;

class MonitoringModelTest {

    private static final ClusterNames NAMES = new ClusterNames("push", "team");
    private static final Images IMAGES = Images.resolve(null, "herald/gateway:1", "herald/router:1");

    @Test
    void theMetricsServiceReachesEveryGatewayAndRouterOnTheirHttpPort() {
        ClusterPlan plan = plan(spec());
        Service metrics = plan.metricsService();

        assertEquals("push-metrics", metrics.getMetadata().getName());
        assertEquals("None", metrics.getSpec().getClusterIP());
        for (Deployment tier : List.of(plan.gatewayDeployment(), plan.routerDeployment())) {
            var pod = tier.getSpec().getTemplate();
            assertTrue(pod.getMetadata().getLabels().entrySet().containsAll(metrics.getSpec().getSelector().entrySet()),
                    tier.getMetadata().getName() + " pods are behind the metrics Service");
            assertEquals(metrics.getSpec().getPorts().get(0).getTargetPort().getStrVal(),
                    pod.getSpec().getContainers().get(0).getPorts().get(0).getName(), "the port /q/metrics is served on");
        }
        assertTrue(plan.gatewayService().getSpec().getSelector().entrySet().stream()
                .noneMatch(label -> label.getValue().equals("metrics")), "the gateway Service keeps its own pods");
    }

    @Test
    void nothingOfThePrometheusOperatorIsPlannedUnlessEnabled() {
        PushClusterSpec spec = spec();
        assertEquals(Optional.empty(), plan(spec).serviceMonitor());
        assertEquals(Optional.empty(), plan(spec).prometheusRule());

        spec.monitoring = new MonitoringSpec();
        spec.monitoring.serviceMonitor = new ServiceMonitorSpec();
        spec.monitoring.prometheusRule = new PrometheusRuleSpec();
        assertEquals(Optional.empty(), plan(spec).serviceMonitor(), "enabled: false");
        assertEquals(Optional.empty(), plan(spec).prometheusRule(), "enabled: false");
    }

    @Test
    void theServiceMonitorSelectsTheMetricsServiceAndLabelsSeriesWithClusterAndTier() {
        PushClusterSpec spec = monitored();
        ClusterPlan plan = plan(spec);
        GenericKubernetesResource monitor = plan.serviceMonitor().orElseThrow();

        assertEquals("monitoring.coreos.com/v1", monitor.getApiVersion());
        assertEquals("ServiceMonitor", monitor.getKind());
        assertEquals("team", monitor.getMetadata().getNamespace());
        assertEquals("prom", monitor.getMetadata().getLabels().get("release"));
        assertEquals("herald-operator", monitor.getMetadata().getLabels().get("app.kubernetes.io/managed-by"),
                "the user's labels cannot take the operator's away");
        Map<?, ?> monitorSpec = (Map<?, ?>) monitor.getAdditionalProperties().get("spec");
        Map<?, ?> matchLabels = (Map<?, ?>) ((Map<?, ?>) monitorSpec.get("selector")).get("matchLabels");
        assertTrue(plan.metricsService().getMetadata().getLabels().entrySet().containsAll(matchLabels.entrySet()));
        assertEquals(Map.of("matchNames", List.of("team")), monitorSpec.get("namespaceSelector"));
        Map<?, ?> endpoint = (Map<?, ?>) ((List<?>) monitorSpec.get("endpoints")).get(0);
        assertEquals(plan.metricsService().getSpec().getPorts().get(0).getName(), endpoint.get("port"));
        assertEquals("/q/metrics", endpoint.get("path"));
        assertEquals("1m", endpoint.get("interval"));
        assertEquals(List.of(
                Map.of("sourceLabels", List.of("__meta_kubernetes_pod_label_app_kubernetes_io_instance"),
                        "targetLabel", "herald_cluster", "action", "replace"),
                Map.of("sourceLabels", List.of("__meta_kubernetes_pod_label_app_kubernetes_io_component"),
                        "targetLabel", "herald_tier", "action", "replace")), endpoint.get("relabelings"));
    }

    @Test
    void theClustersAlertsAreTheSharedOnesLimitedToItsSeries() {
        GenericKubernetesResource rule = plan(monitored()).prometheusRule().orElseThrow();

        assertEquals("PrometheusRule", rule.getKind());
        assertEquals("team", rule.getMetadata().getNamespace());
        assertEquals("rules", rule.getMetadata().getLabels().get("role"));
        assertEquals(Map.of("groups", AlertRules.groups("namespace=\"team\",herald_cluster=\"push\"")),
                rule.getAdditionalProperties().get("spec"));
    }

    @Test
    void prometheusNamespacesReachBothTiersHttpPortThroughTheNetworkPolicies() {
        PushClusterSpec spec = monitored();
        spec.networkPolicy = new NetworkPolicySpec();
        spec.networkPolicy.ingressFromNamespaces = List.of("ingress-nginx");
        spec.monitoring.prometheusNamespaces = List.of("monitoring");
        ClusterPlan plan = plan(spec);

        NetworkPolicy gateways = plan.gatewayNetworkPolicy().orElseThrow();
        NetworkPolicy routers = plan.routerNetworkPolicy().orElseThrow();
        assertEquals(List.of("ingress-nginx", "monitoring"), sources(gateways));
        assertEquals(List.of("monitoring"), sources(routers), "routers take nothing else");
        for (NetworkPolicy policy : List.of(gateways, routers)) {
            policy.getSpec().getIngress().forEach(rule -> assertEquals(8080, rule.getPorts().get(0).getPort().getIntVal()));
        }

        spec.monitoring.prometheusNamespaces = null;
        assertEquals(List.of(), plan(spec).routerNetworkPolicy().orElseThrow().getSpec().getIngress(),
                "without them, routers accept nothing");
    }

    private static List<String> sources(NetworkPolicy policy) {
        return policy.getSpec().getIngress().stream().flatMap(rule -> rule.getFrom().stream())
                .map(peer -> peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name")).toList();
    }

    private static PushClusterSpec monitored() {
        PushClusterSpec spec = spec();
        spec.monitoring = new MonitoringSpec();
        spec.monitoring.serviceMonitor = new ServiceMonitorSpec();
        spec.monitoring.serviceMonitor.enabled = true;
        spec.monitoring.serviceMonitor.interval = "1m";
        spec.monitoring.serviceMonitor.labels = Map.of("release", "prom", "app.kubernetes.io/managed-by", "someone");
        spec.monitoring.prometheusRule = new PrometheusRuleSpec();
        spec.monitoring.prometheusRule.enabled = true;
        spec.monitoring.prometheusRule.labels = Map.of("role", "rules");
        return spec;
    }

    private static ClusterPlan plan(PushClusterSpec spec) {
        return ClusterPlan.of(NAMES, spec, 2, IMAGES, List.of(), "digest");
    }

    private static PushClusterSpec spec() {
        return TestClusters.cluster("team", "push").getSpec();
    }
}
