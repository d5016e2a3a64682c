package io.herald.operator.scaling;

import static io.herald.operator.AwaitResources.TIMEOUT;
import static io.herald.operator.AwaitResources.existing;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.Condition;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** Gateway Leases with connection counts drive the gateway Deployment's replicas. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class GatewayScalingMockServerTest {

    private static final String NS = "scaling";

    @Inject
    KubernetesClient client;

    @Test
    void connectionsScaleGatewaysUpAtOnceAndDownOneStepAtATimeWithinBounds() throws InterruptedException {
        client.resource(TestClusters.redisSecret(NS)).create();
        PushCluster cluster = TestClusters.scaledByConnections(NS, "load", 2, 5, 3);
        client.resource(cluster).create();
        assertEquals(2, existing(client, NS, Deployment.class, "load-gateway").getSpec().getReplicas(), "starts at the minimum");

        leases(330, 100);
        await().atMost(TIMEOUT).until(this::replicas, replicas -> replicas == 5);

        leases(900, 900);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            PushCluster current = client.resources(PushCluster.class).inNamespace(NS).withName("load").get();
            assertNotNull(current.getStatus(), "no status yet");
            assertEquals(1800L, current.getStatus().gateways.connections);
            Condition warning = current.getStatus().condition(Condition.WARNING).orElseThrow();
            assertTrue(warning.message.contains("gateways are at maxReplicas (5)"), warning.message);
        });
        assertEquals(5, replicas(), "never above maxReplicas");

        for (String pod : List.of("load-gateway-a", "load-gateway-b")) {
            client.resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace(NS).endMetadata()
                    .withNewSpec().addNewContainer().withName("gateway").withImage("gateway").endContainer().endSpec()
                    .build()).create();
        }
        long lowSince = System.nanoTime();
        leases(5, 1);
        List<long[]> steps = new ArrayList<>();
        int last = 5;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (last > 2 && System.nanoTime() < deadline) {
            int now = replicas();
            if (now != last) {
                steps.add(new long[] { now, Duration.ofNanos(System.nanoTime() - lowSince).toMillis() });
                last = now;
            }
            Thread.sleep(50);
        }
        assertEquals(List.of(4L, 3L, 2L), steps.stream().map(step -> step[0]).toList(), "one pod at a time, down to the minimum");
        assertTrue(steps.get(0)[1] >= 2900, "the first removal waits for the stabilisation window, took " + steps.get(0)[1] + " ms");
        for (int i = 1; i < steps.size(); i++) {
            assertTrue(steps.get(i)[1] - steps.get(i - 1)[1] >= 900,
                    "removals are a drain period apart: " + steps.get(i - 1)[1] + " then " + steps.get(i)[1] + " ms");
        }
        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).until(this::replicas, replicas -> replicas == 2);
        assertEquals("5", deletionCost("load-gateway-a"));
        assertEquals("1", deletionCost("load-gateway-b"), "the gateway with the fewest connections goes first");
    }

    private void leases(long first, long second) {
        client.resource(TestClusters.gatewayLease(NS, "load", "load-gateway-a", first)).createOr(lease -> lease.update());
        client.resource(TestClusters.gatewayLease(NS, "load", "load-gateway-b", second)).createOr(lease -> lease.update());
    }

    private String deletionCost(String pod) {
        return client.pods().inNamespace(NS).withName(pod).get().getMetadata().getAnnotations().get(DeletionCost.ANNOTATION);
    }

    private int replicas() {
        return client.apps().deployments().inNamespace(NS).withName("load-gateway").get().getSpec().getReplicas();
    }
}
