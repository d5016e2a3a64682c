package io.herald.operator.apps;

import static io.herald.operator.AwaitResources.TIMEOUT;
import static io.herald.operator.HourlyResync.BY_EVENT;
import static io.herald.operator.AwaitResources.edit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.herald.contract.AppsSecret;
import io.herald.operator.HourlyResync;
import io.herald.operator.RecordedRequests;
import io.herald.operator.TestClusters;
import io.herald.operator.cluster.SecretReader;
import io.herald.operator.crd.v1alpha1.Condition;
import io.herald.operator.crd.v1alpha1.PushApp;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.crd.v1alpha1.spec.TenancySpec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * A team's PushApp on a PushCluster in another namespace: served only while the cluster's owner
 * lists the team's namespace, with the app's Secret left in the team's namespace. The resync is an
 * hour, so every step here must arrive by an informer event.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(HourlyResync.class)
class TenancyMockServerTest {

    @Inject
    KubernetesClient client;

    @KubernetesTestServer
    KubernetesServer server;

    @Test
    void aSharedClusterServesATeamsAppWithItsSecretInTheTeamsNamespaceAndPublishesItsRotation() throws InterruptedException {
        createCluster("platform-a", "team-a");
        client.resource(TestClusters.secret("team-a", "chat-secret", Map.of("secret", "old"))).create();
        client.resource(teamApp("team-a", "chat", "platform-a", "1001", "chat-key")).create();

        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(List.of(new PublishedApp("1001", "chat-key", "old", false,
                false, 0, 0, 0)), published("platform-a")));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition ready = condition("team-a", "chat", Condition.READY);
            assertEquals("True", ready.status, ready.message);
            assertEquals("Published", ready.reason);
            assertEquals("Served by the gateways of PushCluster platform-a/push", ready.message);
        });

        edit(client, "team-a", Secret.class, "chat-secret", secret -> {
            secret.setData(TestClusters.secret("team-a", "chat-secret", Map.of("secret", "new")).getData());
            return secret;
        });
        await().atMost(BY_EVENT).untilAsserted(() -> assertEquals(List.of("new"),
                published("platform-a").stream().map(PublishedApp::secret).toList()));
        assertEquals(List.of(), RecordedRequests.since(server).stream()
                .filter(request -> "GET".equals(request.getMethod()))
                .map(RecordedRequest::getPath)
                .filter(path -> path.matches("/apis/herald.io/v1alpha1/namespaces/(platform-a|team-a)/pushclusters/.*"))
                .toList(), "the app's reconciles read its cluster from the informer's cache");
    }

    @Test
    void anAppOfANamespaceTheClusterDoesNotServeIsToldSoAndChangesNothingInTheCluster() {
        createCluster("platform-b", "team-other");
        client.resource(TestClusters.secret("team-b", "chat-secret", Map.of("secret", "s3cret"))).create();
        client.resource(teamApp("team-b", "chat", "platform-b", "1001", "chat-key")).create();
        client.resource(TestClusters.secret("platform-b", "own-secret", Map.of("secret", "own"))).create();
        client.resource(TestClusters.app("platform-b", "own", "push", "1", "own-key", "own-secret")).create();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertEquals("True", condition("platform-b", "own", Condition.READY).status);
            Condition refused = condition("team-b", "chat", Condition.READY);
            assertEquals("False", refused.status);
            assertEquals("ClusterNotShared", refused.reason);
            assertEquals("PushCluster platform-b/push does not serve PushApps of namespace team-b: its owner lists the "
                    + "namespaces it serves in spec.tenancy.allowedNamespaces", refused.message);
            assertEquals("True", condition("team-b", "chat", Condition.WARNING).status);
            PushCluster cluster = client.resources(PushCluster.class).inNamespace("platform-b").withName("push").get();
            assertNotNull(cluster.getStatus(), "no cluster status yet");
            assertEquals("False", cluster.getStatus().condition(Condition.WARNING).orElseThrow().status,
                    "another namespace's app does not put the cluster in a warning");
        });
        assertEquals(List.of("1"), published("platform-b").stream().map(PublishedApp::id).toList(),
                "the cluster published its own app after the team's was created, and left the team's out");
    }

    @Test
    void removingANamespaceFromTheAllowListWithdrawsItsAppsFromTheGateways() {
        createCluster("platform-c", "team-c");
        client.resource(TestClusters.secret("team-c", "chat-secret", Map.of("secret", "s3cret"))).create();
        client.resource(teamApp("team-c", "chat", "platform-c", "1001", "chat-key")).create();
        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals("Published", condition("team-c", "chat", Condition.READY).reason));

        edit(client, "platform-c", PushCluster.class, "push", cluster -> {
            cluster.getSpec().tenancy.allowedNamespaces = List.of();
            return cluster;
        });

        await().atMost(BY_EVENT).untilAsserted(() -> {
            assertEquals(List.of(), published("platform-c"));
            assertEquals("ClusterNotShared", condition("team-c", "chat", Condition.READY).reason);
        });
    }

    private void createCluster(String namespace, String sharedWith) {
        client.resource(TestClusters.redisSecret(namespace)).create();
        PushCluster cluster = TestClusters.cluster(namespace, "push");
        cluster.getSpec().tenancy = new TenancySpec();
        cluster.getSpec().tenancy.allowedNamespaces = List.of(sharedWith);
        client.resource(cluster).create();
    }

    private static PushApp teamApp(String namespace, String name, String clusterNamespace, String appId, String key) {
        PushApp app = TestClusters.app(namespace, name, "push", appId, key, "chat-secret");
        app.getSpec().clusterNamespace = clusterNamespace;
        return app;
    }

    private List<PublishedApp> published(String namespace) {
        Secret secret = client.secrets().inNamespace(namespace).withName(AppsSecret.nameFor("push")).get();
        assertNotNull(secret, "no apps Secret yet");
        return List.of(Serialization.unmarshal(SecretReader.value(secret, AppsSecret.KEY).orElseThrow(), PublishedApp[].class));
    }

    private Condition condition(String namespace, String app, String type) {
        PushApp current = client.resources(PushApp.class).inNamespace(namespace).withName(app).get();
        assertNotNull(current.getStatus(), app + " has no status yet");
        assertFalse(current.getStatus().conditions.isEmpty(), app + " has no conditions yet");
        return current.getStatus().condition(type).orElseThrow();
    }
}
