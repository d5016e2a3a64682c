package io.herald.operator.apps;

import static io.herald.operator.AwaitResources.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.Condition;
import io.herald.operator.crd.v1alpha1.PushApp;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.crd.v1alpha1.spec.TenancySpec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * An operator installed for one namespace cannot see a cluster elsewhere, even one shared with that
 * namespace: the app says so, rather than that the cluster does not exist.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(NamespacedInstallMockServerTest.TeamNamespaceOnly.class)
class NamespacedInstallMockServerTest {

    /** As the chart's watchNamespaces={team-w} sets it. */
    public static class TeamNamespaceOnly implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.operator-sdk.namespaces", "team-w");
        }
    }

    @Inject
    KubernetesClient client;

    @Test
    void anAppNamingAClusterInANamespaceTheOperatorDoesNotWatchIsToldSo() {
        client.resource(TestClusters.redisSecret("platform-w")).create();
        PushCluster cluster = TestClusters.cluster("platform-w", "push");
        cluster.getSpec().tenancy = new TenancySpec();
        cluster.getSpec().tenancy.allowedNamespaces = List.of("team-w");
        client.resource(cluster).create();
        client.resource(TestClusters.secret("team-w", "chat-secret", Map.of("secret", "s3cret"))).create();
        PushApp app = TestClusters.app("team-w", "chat", "push", "1001", "chat-key", "chat-secret");
        app.getSpec().clusterNamespace = "platform-w";
        client.resource(app).create();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            PushApp current = client.resources(PushApp.class).inNamespace("team-w").withName("chat").get();
            assertNotNull(current.getStatus(), "no status yet");
            Condition ready = current.getStatus().condition(Condition.READY).orElseThrow();
            assertEquals("False", ready.status);
            assertEquals("ClusterNotWatched", ready.reason);
            assertEquals("PushCluster push is in namespace platform-w, which this operator does not watch: an app and its "
                    + "cluster in two namespaces need an operator that watches both", ready.message);
        });
    }
}
