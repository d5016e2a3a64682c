package io.herald.operator.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.herald.local.FreePorts;
import io.herald.local.NodeProcess;
import io.herald.operator.TestClusters;

/**
 * Two replicas of the packaged operator, each its own process in the prod profile, where leader
 * election is on, sharing Fabric8's API server in CRUD mode as pods share their cluster's. One
 * leads and both are ready; a leader asked to stop (SIGTERM) exits at once and hands the Lease
 * over, so the standby leads within seconds rather than after the Lease expires. Their kubeconfig
 * names no namespace, as a developer's running the operator from a checkout often does not.
 *
 * <p>An integration test (failsafe, after packaging), because it runs the packaged operator.
 */
class OperatorReplicasIT {

    private static final Path OPERATOR = Path.of("target/quarkus-app/quarkus-run.jar");
    /** Where the Lease goes when, as here, neither the settings nor the kubeconfig name a namespace. */
    private static final String NAMESPACE = "default";
    private static final String LEASE = "herald-operator";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Less than the Lease's 15 s: a standby that leads within this was handed the Lease. */
    private static final Duration HANDOVER = Duration.ofSeconds(8);

    private KubernetesMockServer server;
    private KubernetesClient client;
    private Path kubeconfig;

    @BeforeEach
    void apiServer() throws IOException {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                new KubernetesMixedDispatcher(expectations), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        TestClusters.allowLeaseAccess(server.expect());
        client = server.createClient();
        for (String crd : List.of("pushclusters.herald.io-v1.yml", "pushapps.herald.io-v1.yml")) {
            try (InputStream in = Files.newInputStream(Path.of("../crds", crd))) {
                client.resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
            }
        }
        kubeconfig = TestClusters.kubeconfig("http://127.0.0.1:" + server.getPort());
    }

    @AfterEach
    void stopApiServer() throws IOException {
        client.close();
        server.destroy();
        Files.deleteIfExists(kubeconfig);
    }

    @Test
    void oneReplicaLeadsAndAStoppingLeaderHandsTheLeaseOver() throws Exception {
        NodeProcess first = replica("operator-a");
        NodeProcess second = null;
        try {
            first.awaitReady(TIMEOUT);
            await().atMost(TIMEOUT).until(() -> holder().startsWith("operator-a-"));

            // awaitReady: a standby is ready, or rolling updates of the operator would stall.
            second = replica("operator-b");
            second.awaitReady(TIMEOUT);
            assertTrue(holder().startsWith("operator-a-"), "the leader keeps the Lease");

            long stoppedAt = System.nanoTime();
            first.process().destroy();
            assertTrue(first.process().waitFor(10, TimeUnit.SECONDS), "the leader did not exit within 10 s of SIGTERM");
            await().atMost(HANDOVER).until(() -> holder().startsWith("operator-b-"));
            System.out.printf("Handover took %d ms%n", Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis());
        } finally {
            first.stop(Duration.ofSeconds(5));
            if (second != null) {
                second.stop(Duration.ofSeconds(5));
            }
        }
    }

    private NodeProcess replica(String name) {
        return NodeProcess.start(name, OPERATOR, FreePorts.find(),
                Map.of("KUBECONFIG", kubeconfig.toAbsolutePath().toString(), "HOSTNAME", name),
                Optional.of(Path.of("target/operator-replicas")));
    }

    private String holder() {
        Lease lease = client.leases().inNamespace(NAMESPACE).withName(LEASE).get();
        return lease == null || lease.getSpec().getHolderIdentity() == null ? "" : lease.getSpec().getHolderIdentity();
    }
}
