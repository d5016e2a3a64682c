package io.herald.operator;

import static io.herald.operator.AwaitResources.TIMEOUT;
import static io.herald.operator.AwaitResources.edit;
import static io.herald.operator.AwaitResources.existing;
import static io.herald.operator.AwaitResources.rollOut;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.local.MetricsScrape;
import io.herald.operator.crd.v1alpha1.Condition;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The operator's {@code /q/metrics} once it reconciled a PushCluster against the Fabric8 mock API
 * server: the Operator SDK's reconcile counters, Herald's scaling decisions and time to Ready.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class OperatorMetricsTest {

    private static final String NS = "metrics";

    @TestHTTPResource("/")
    URI root;

    @Inject
    KubernetesClient client;

    @Inject
    Operator operator;

    /** Not the no-op the extension's producer hands out before Micrometer has bound it. */
    @Test
    void theRunningOperatorCountsIntoTheApplicationsRegistry() {
        assertTrue(operator.getConfigurationService().getMetrics() instanceof MicrometerMetrics,
                operator.getConfigurationService().getMetrics().getClass().getName());
    }

    @Test
    void reconcilesAndScalingDecisionsShowInTheScrape() throws Exception {
        MetricsScrape before = MetricsScrape.of(root);
        client.resource(TestClusters.redisSecret(NS)).create();
        client.resource(TestClusters.cluster(NS, "observed")).create();
        existing(client, NS, Deployment.class, "observed-gateway");

        // The Operator SDK labels reconcile counters per resource and drops a resource's series
        // once it is deleted, so totals over all resources can fall while other test classes
        // clean up: count this cluster's own series. Scaling decisions carry no resource label.
        // Once the gateway Deployment exists, each resync decides its replicas from the connections.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            MetricsScrape after = MetricsScrape.of(root);
            assertTrue(after.value("operator_sdk_reconciliations_started_total", "namespace", NS, "name", "observed") > 0,
                    "reconciles are counted");
            assertTrue(after.value("operator_sdk_reconciliations_success_total", "namespace", NS, "name", "observed") > 0,
                    "successful reconciles are counted");
            assertTrue(after.value("herald_operator_scaling_decisions_total")
                    > before.value("herald_operator_scaling_decisions_total"), "scaling decisions are counted");
        });
    }

    /**
     * The timer has no per-cluster label (names would make its series unbounded), so this test
     * counts what its own cluster adds: nothing while the cluster is not Ready, one sample when it
     * becomes Ready after its creation, one more after a spec change rolls out.
     */
    @Test
    void theTimeFromCreationAndFromASpecChangeToReadyIsATimerByCause() throws Exception {
        String ns = "ready-timer";
        String count = "herald_operator_time_to_ready_seconds_count";
        MetricsScrape before = MetricsScrape.of(root);
        client.resource(TestClusters.redisSecret(ns)).create();
        client.resource(TestClusters.cluster(ns, "timed")).create();
        await().atMost(TIMEOUT).until(() -> ready(ns).filter(ready -> "GatewaysNotReady".equals(ready.reason)).isPresent());
        assertEquals(before.value(count, "cause", "created"), MetricsScrape.of(root).value(count, "cause", "created"),
                "not Ready yet: nothing timed");

        rollOut(client, ns, "timed-gateway");
        rollOut(client, ns, "timed-router");
        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(before.value(count, "cause", "created") + 1,
                MetricsScrape.of(root).value(count, "cause", "created"), "Ready after creation, timed once"));
        MetricsScrape ready = MetricsScrape.of(root);
        assertTrue(ready.value("herald_operator_time_to_ready_seconds_bucket", "cause", "created", "le", "+Inf")
                >= ready.value(count, "cause", "created"), "a histogram, for quantiles over clusters");

        long gatewayGeneration = existing(client, ns, Deployment.class, "timed-gateway").getMetadata().getGeneration();
        edit(client, ns, PushCluster.class, "timed", current -> {
            current.getSpec().gateway.drainSeconds = 60;
            return current;
        });
        await().atMost(TIMEOUT).until(() -> existing(client, ns, Deployment.class, "timed-gateway").getMetadata()
                .getGeneration() > gatewayGeneration);
        rollOut(client, ns, "timed-gateway");
        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(ready.value(count, "cause", "changed") + 1,
                MetricsScrape.of(root).value(count, "cause", "changed"), "Ready for the changed spec, timed once"));
        assertEquals(ready.value(count, "cause", "created"), MetricsScrape.of(root).value(count, "cause", "created"),
                "the cluster's creation is not timed again");
    }

    private Optional<Condition> ready(String ns) {
        return Optional.ofNullable(client.resources(PushCluster.class).inNamespace(ns).withName("timed").get().getStatus())
                .flatMap(status -> status.condition(Condition.READY));
    }
}
