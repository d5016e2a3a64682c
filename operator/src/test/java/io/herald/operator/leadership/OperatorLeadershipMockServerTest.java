package io.herald.operator.leadership;

import static io.herald.operator.AwaitResources.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.operator.TestClusters;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * Leader election between operator replicas. The Lease is held by another replica when this one
 * starts: this one stands by (ready, reconciling nothing) while the holder renews, and takes over
 * once the holder stops renewing. Its readiness is the SDK's check, which a standby passes because
 * its informers run before it leads.
 */
@QuarkusTest
@TestProfile(OperatorLeadershipMockServerTest.LeaderElectionOn.class)
@WithKubernetesTestServer(crud = true, setup = OperatorLeadershipMockServerTest.HeldByAnotherReplica.class)
class OperatorLeadershipMockServerTest {

    static final String LEASE = "herald-operator-test";
    static final String OTHER_REPLICA = "herald-operator-7d9f-other";

    public static class LeaderElectionOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.operator-sdk.activate-leader-election-for-profiles", "test",
                    "herald.operator.lease-name", LEASE);
        }
    }

    /** Runs before the operator starts. */
    public static class HeldByAnotherReplica implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            TestClusters.allowLeaseAccess(server.expect());
            KubernetesClient client = server.getClient();
            client.resource(heldLease(client.getNamespace())).create();
        }
    }

    @Inject
    KubernetesClient client;

    @TestHTTPResource("/q/health/ready")
    URI readiness;

    @Test
    void aStandbyReconcilesNothingUntilTheLeaderStopsRenewingThenTakesOver() throws Exception {
        String ns = "leadership";
        client.resource(TestClusters.redisSecret(ns)).create();
        client.resource(TestClusters.cluster(ns, "push")).create();

        // The other replica renews every second for 5 s, then dies.
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    Lease lease = client.leases().withName(LEASE).get();
                    lease.getSpec().setRenewTime(ZonedDateTime.now());
                    client.resource(lease).update();
                    assertNull(client.apps().deployments().inNamespace(ns).withName("push-gateway").get(),
                            "a standby reconciled");
                    assertEquals(200, readiness(), "a standby is ready, or rolling updates of the operator stall");
                });

        await().atMost(TIMEOUT.plusSeconds(20)).until(
                () -> client.apps().deployments().inNamespace(ns).withName("push-gateway").get() != null);
        assertNotEquals(OTHER_REPLICA, client.leases().withName(LEASE).get().getSpec().getHolderIdentity());
        assertEquals(200, readiness());
    }

    private int readiness() throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Lease heldLease(String namespace) {
        return new LeaseBuilder().withNewMetadata().withName(LEASE).withNamespace(namespace).endMetadata()
                .withNewSpec().withHolderIdentity(OTHER_REPLICA).withLeaseDurationSeconds(15)
                    .withAcquireTime(ZonedDateTime.now()).withRenewTime(ZonedDateTime.now()).withLeaseTransitions(0)
                .endSpec().build();
    }
}
