package io.herald.operator.cluster;

import static io.herald.operator.AwaitResources.TIMEOUT;
import static io.herald.operator.AwaitResources.existing;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.Condition;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * API calls the operator makes on a best-effort basis, refused by the API server as it refuses a
 * service account without the RBAC rule: the reconcile goes on, and the failure is counted.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class BestEffortCallsMockServerTest {

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @KubernetesTestServer
    KubernetesServer server;

    @Test
    void anEventTheApiServerRefusesIsCountedAndTheSpecIsStillReported() {
        String ns = "events-refused";
        forbidden("post", "/api/v1/namespaces/" + ns + "/events");
        client.resource(TestClusters.redisSecret(ns)).create();
        PushCluster invalid = TestClusters.cluster(ns, "push");
        invalid.getSpec().gateway.minReplicas = 8;
        invalid.getSpec().gateway.maxReplicas = 4;
        client.resource(invalid).create();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            PushCluster current = client.resources(PushCluster.class).inNamespace(ns).withName("push").get();
            assertNotNull(current.getStatus(), "no status yet");
            assertEquals("InvalidSpec", current.getStatus().condition(Condition.WARNING).orElseThrow().reason);
        });
        await().atMost(TIMEOUT).until(() -> failures("event", "403") >= 1);
    }

    @Test
    void aDeletionCostTheApiServerRefusesIsCountedAndTheScaleDownGoesOn() {
        String ns = "cost-refused";
        client.resource(TestClusters.redisSecret(ns)).create();
        PushCluster cluster = TestClusters.scaledByConnections(ns, "load", 1, 3, 1);
        client.resource(cluster).create();
        existing(client, ns, Deployment.class, "load-gateway");
        leases(ns, 250, 0);
        await().atMost(TIMEOUT).until(() -> replicas(ns) == 3);

        // One pod refuses its annotation; the other is gone, which is no failure.
        forbidden("patch", "/api/v1/namespaces/" + ns + "/pods/load-gateway-a");
        client.resource(new PodBuilder().withNewMetadata().withName("load-gateway-a").withNamespace(ns).endMetadata()
                .withNewSpec().addNewContainer().withName("gateway").withImage("gateway").endContainer().endSpec()
                .build()).create();
        leases(ns, 1, 0);

        await().atMost(TIMEOUT).until(() -> replicas(ns) < 3);
        await().atMost(TIMEOUT).until(() -> failures("pod_deletion_cost", "403") >= 1);
        assertNull(registry.find("herald.operator.api.call.failures").tags("call", "pod_deletion_cost", "code", "404").counter(),
                "a pod that is gone is not a failure");
    }

    private void forbidden(String method, String path) {
        var expectation = server.expect();
        (method.equals("post") ? expectation.post() : expectation.patch()).withPath(path)
                .andReturn(403, new StatusBuilder().withStatus("Failure").withReason("Forbidden").withCode(403)
                        .withMessage("forbidden: the operator's service account may not do this").build())
                .always();
    }

    private double failures(String call, String code) {
        Counter counter = registry.find("herald.operator.api.call.failures").tags("call", call, "code", code).counter();
        return counter == null ? 0 : counter.count();
    }

    private void leases(String ns, long first, long second) {
        client.resource(TestClusters.gatewayLease(ns, "load", "load-gateway-a", first)).createOr(lease -> lease.update());
        client.resource(TestClusters.gatewayLease(ns, "load", "load-gateway-b", second)).createOr(lease -> lease.update());
    }

    private int replicas(String ns) {
        return client.apps().deployments().inNamespace(ns).withName("load-gateway").get().getSpec().getReplicas();
    }
}
