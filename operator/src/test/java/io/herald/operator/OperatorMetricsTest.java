package io.herald.operator;

import static io.herald.operator.AwaitResources.TIMEOUT;
import static io.herald.operator.AwaitResources.existing;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.local.MetricsScrape;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The operator's {@code /q/metrics} once it reconciled a PushCluster against the Fabric8 mock API
 * server: the Operator SDK's reconcile counters and Herald's scaling decisions.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class OperatorMetricsTest {

    private static final String NS = "metrics";

    @TestHTTPResource("/")
    URI root;

    @Inject
    KubernetesClient client;

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
}
