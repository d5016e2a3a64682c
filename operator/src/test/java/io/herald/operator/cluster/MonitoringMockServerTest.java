package io.herald.operator.cluster;

import static io.herald.operator.AwaitResources.TIMEOUT;
import static io.herald.operator.AwaitResources.edit;
import static io.herald.operator.AwaitResources.existing;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.herald.operator.OperatorAccess;
import io.herald.operator.RecordedRequests;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.Condition;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.crd.v1alpha1.spec.MonitoringSpec;
import io.herald.operator.crd.v1alpha1.spec.PrometheusRuleSpec;
import io.herald.operator.crd.v1alpha1.spec.ServiceMonitorSpec;
import io.herald.operator.model.MonitoringModel;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * A PushCluster's opt-in ServiceMonitor and PrometheusRule against Fabric8's API server in CRUD
 * mode, with the Prometheus Operator's kinds served, and without them (the server answers 404, as
 * an API server without their CRDs does).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class MonitoringMockServerTest {

    private static final ResourceDefinitionContext SERVICE_MONITORS = MonitoringModel.definition(MonitoringModel.SERVICE_MONITOR);
    private static final ResourceDefinitionContext PROMETHEUS_RULES = MonitoringModel.definition(MonitoringModel.PROMETHEUS_RULE);

    private static final String MONITORING = MonitoringModel.GROUP;

    @Inject
    KubernetesClient client;

    @KubernetesTestServer
    KubernetesServer server;

    @Test
    void aMonitoredClusterGetsAServiceMonitorOverEveryPodAndAlertsLimitedToItself() throws InterruptedException {
        String ns = "monitored";
        client.resource(TestClusters.redisSecret(ns)).create();
        PushCluster created = client.resource(monitored(TestClusters.cluster(ns, "push"))).create();

        Service metrics = existing(client, ns, Service.class, "push-metrics");
        assertEquals("None", metrics.getSpec().getClusterIP(), "headless: each pod is scraped");
        assertEquals(Map.of("app.kubernetes.io/name", "herald", "app.kubernetes.io/instance", "push"),
                metrics.getSpec().getSelector(), "gateways and routers alike");
        assertEquals("http", metrics.getSpec().getPorts().get(0).getTargetPort().getStrVal());

        GenericKubernetesResource monitor = await().atMost(TIMEOUT).until(() -> get(SERVICE_MONITORS, ns), r -> r != null);
        assertEquals(created.getMetadata().getUid(), monitor.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals("kube-prometheus-stack", monitor.getMetadata().getLabels().get("release"));
        Map<String, Object> spec = spec(monitor);
        Map<?, ?> selected = (Map<?, ?>) ((Map<?, ?>) spec.get("selector")).get("matchLabels");
        assertEquals("metrics", selected.get("app.kubernetes.io/component"));
        assertTrue(metrics.getMetadata().getLabels().entrySet().containsAll(selected.entrySet()),
                "selects the metrics Service by its labels");
        Map<?, ?> endpoint = (Map<?, ?>) ((List<?>) spec.get("endpoints")).get(0);
        assertEquals(metrics.getSpec().getPorts().get(0).getName(), endpoint.get("port"));
        assertEquals("/q/metrics", endpoint.get("path"));
        assertEquals("15s", endpoint.get("interval"));

        GenericKubernetesResource rule = await().atMost(TIMEOUT).until(() -> get(PROMETHEUS_RULES, ns), r -> r != null);
        String rules = rule.getAdditionalProperties().get("spec").toString();
        assertTrue(rules.contains("herald_router_shard_lag_seconds{namespace=\"monitored\",herald_cluster=\"push\"}"), rules);
        assertTrue(!rules.contains("HERALD_SELECTOR"), "every expression is limited to the cluster");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition ready = monitoringReady(ns).orElseThrow(() -> new AssertionError("no MonitoringReady yet"));
            assertEquals("True", ready.status, ready.message);
            assertEquals("Monitored", ready.reason);
        });

        edit(client, ns, PushCluster.class, "push", current -> {
            current.getSpec().monitoring.serviceMonitor.interval = "45s";
            current.getSpec().monitoring.prometheusRule.labels = Map.of("role", "alert-rules");
            return current;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertEquals("45s", ((Map<?, ?>) ((List<?>) spec(get(SERVICE_MONITORS, ns)).get("endpoints")).get(0)).get("interval"));
            assertEquals("alert-rules", get(PROMETHEUS_RULES, ns).getMetadata().getLabels().get("role"));
        });
        edit(client, ns, PushCluster.class, "push", current -> {
            current.getSpec().monitoring.prometheusRule.enabled = false;
            return current;
        });
        await().atMost(TIMEOUT).until(() -> get(PROMETHEUS_RULES, ns) == null);
        edit(client, ns, PushCluster.class, "push", current -> {
            current.getSpec().monitoring = null;
            return current;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertNull(get(SERVICE_MONITORS, ns), "removing the section removes the ServiceMonitor");
            assertEquals(Optional.empty(), monitoringReady(ns), "and its condition");
        });
        assertEquals(Map.of(MONITORING + "/servicemonitors", OperatorAccess.inWatchedNamespaces().get(MONITORING + "/servicemonitors"),
                MONITORING + "/prometheusrules", OperatorAccess.inWatchedNamespaces().get(MONITORING + "/prometheusrules")),
                RecordedRequests.access(server, "/apis/" + MonitoringModel.API_VERSION + "/namespaces/" + ns + "/"),
                "RBAC grants exactly the verbs of the calls: get, create, update, delete");
    }

    @Test
    void withoutThePrometheusOperatorTheClusterRunsAndSaysWhyItIsNotMonitored() {
        String ns = "unmonitored";
        for (String plural : List.of("servicemonitors", "prometheusrules")) {
            TestClusters.kindNotInstalled(server.expect(), "/apis/" + MonitoringModel.API_VERSION + "/namespaces/" + ns + "/" + plural);
        }
        client.resource(TestClusters.redisSecret(ns)).create();
        client.resource(monitored(TestClusters.cluster(ns, "push"))).create();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition ready = monitoringReady(ns).orElseThrow(() -> new AssertionError("no MonitoringReady yet"));
            assertEquals("False", ready.status);
            assertEquals("PrometheusOperatorMissing", ready.reason);
            assertTrue(ready.message.contains("servicemonitors.monitoring.coreos.com"), ready.message);
            assertTrue(ready.message.contains("prometheusrules.monitoring.coreos.com"), ready.message);
        });
        assertNotNull(existing(client, ns, Deployment.class, "push-gateway"), "everything else reconciles");
        assertNotNull(existing(client, ns, Deployment.class, "push-router"));
        PushCluster cluster = client.resources(PushCluster.class).inNamespace(ns).withName("push").get();
        assertEquals("NoWarnings", cluster.getStatus().condition(Condition.WARNING).orElseThrow().reason);
        assertEquals("GatewaysNotReady", cluster.getStatus().condition(Condition.READY).orElseThrow().reason,
                "Ready follows the pods, not monitoring");
    }

    @Test
    void aClusterWithoutTheSectionHasNoMonitoringCondition() {
        String ns = "plain";
        client.resource(TestClusters.redisSecret(ns)).create();
        client.resource(TestClusters.cluster(ns, "push")).create();

        existing(client, ns, Service.class, "push-metrics");
        await().atMost(TIMEOUT).until(() -> Optional.ofNullable(client.resources(PushCluster.class).inNamespace(ns)
                .withName("push").get().getStatus()).flatMap(status -> status.condition(Condition.READY)).isPresent());
        assertEquals(Optional.empty(), monitoringReady(ns));
        assertNull(get(SERVICE_MONITORS, ns));
        assertNull(get(PROMETHEUS_RULES, ns));
    }

    private static PushCluster monitored(PushCluster cluster) {
        MonitoringSpec monitoring = new MonitoringSpec();
        monitoring.serviceMonitor = new ServiceMonitorSpec();
        monitoring.serviceMonitor.enabled = true;
        monitoring.serviceMonitor.interval = "15s";
        monitoring.serviceMonitor.labels = Map.of("release", "kube-prometheus-stack");
        monitoring.prometheusRule = new PrometheusRuleSpec();
        monitoring.prometheusRule.enabled = true;
        cluster.getSpec().monitoring = monitoring;
        return cluster;
    }

    private Optional<Condition> monitoringReady(String ns) {
        PushCluster current = client.resources(PushCluster.class).inNamespace(ns).withName("push").get();
        return Optional.ofNullable(current.getStatus()).flatMap(status -> status.condition(Condition.MONITORING_READY));
    }

    private GenericKubernetesResource get(ResourceDefinitionContext kind, String ns) {
        return client.genericKubernetesResources(kind).inNamespace(ns).withName("push").get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }
}
