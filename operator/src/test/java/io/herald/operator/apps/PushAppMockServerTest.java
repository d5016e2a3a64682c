package io.herald.operator.apps;

import static io.herald.operator.AwaitResources.TIMEOUT;
import static io.herald.operator.AwaitResources.edit;
import static io.herald.operator.AwaitResources.existing;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.herald.contract.AppsSecret;
import io.herald.operator.TestClusters;
import io.herald.operator.cluster.SecretReader;
import io.herald.operator.crd.v1alpha1.Condition;
import io.herald.operator.crd.v1alpha1.PushApp;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.crd.v1alpha1.spec.ArchiveRuleSpec;
import io.herald.operator.crd.v1alpha1.spec.HistoryRuleSpec;
import io.herald.operator.crd.v1alpha1.spec.OfflineSpec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** PushApps become entries of the apps Secret that gateways watch, and leave it when deleted. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class PushAppMockServerTest {

    @Inject
    KubernetesClient client;

    @Test
    void anAppIsPublishedToTheGatewaysAndWithdrawnOnDelete() {
        String ns = "apps";
        client.resource(TestClusters.redisSecret(ns)).create();
        client.resource(TestClusters.secret(ns, "chat-secret", Map.of("secret", "s3cret"))).create();
        client.resource(TestClusters.cluster(ns, "push")).create();
        PushApp chat = TestClusters.app(ns, "chat", "push", "1001", "chat-key", "chat-secret");
        chat.getSpec().features.clientEvents = true;
        chat.getSpec().limits.maxConnections = 500;
        chat.getSpec().limits.maxChannelsPerConnection = 64;
        chat.getSpec().limits.subscribesPerSecond = 5;
        chat.getSpec().history = List.of(new HistoryRuleSpec("chat-", 500, 600));
        chat.getSpec().archive = List.of(new ArchiveRuleSpec("chat-", 86_400));
        chat.getSpec().offline = new OfflineSpec(3600, 50);
        client.resource(chat).create();

        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(
                List.of(new PublishedApp("1001", "chat-key", "s3cret", true, false, 500, 64, 5,
                        List.of(new PublishedApp.History("chat-", 500, 600)), List.of(new PublishedApp.Archive("chat-", 86_400)),
                        new PublishedApp.Offline(3600, 50))),
                published(ns)));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition ready = condition(ns, "chat", Condition.READY);
            assertEquals("True", ready.status);
            assertEquals("Published", ready.reason);
        });

        client.resources(PushApp.class).inNamespace(ns).withName("chat").delete();
        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(List.of(), published(ns)));
    }

    /** The Operator SDK's index of a cluster's apps keeps a mapping the app's spec no longer makes. */
    @Test
    void anAppMovedToAnotherClusterLeavesTheFirst() {
        String ns = "moved-apps";
        client.resource(TestClusters.redisSecret(ns)).create();
        client.resource(TestClusters.secret(ns, "chat-secret", Map.of("secret", "s3cret"))).create();
        client.resource(TestClusters.cluster(ns, "push")).create();
        client.resource(TestClusters.cluster(ns, "other")).create();
        client.resource(TestClusters.app(ns, "chat", "push", "1001", "chat-key", "chat-secret")).create();
        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(List.of("1001"), ids(ns, "push")));

        edit(client, ns, PushApp.class, "chat", app -> {
            app.getSpec().cluster = "other";
            return app;
        });

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertEquals(List.of("1001"), ids(ns, "other"));
            assertEquals(List.of(), ids(ns, "push"));
        });
    }

    @Test
    void anInvalidAppGetsAWarningSayingWhatIsWrong() {
        String ns = "bad-apps";
        client.resource(TestClusters.redisSecret(ns)).create();
        client.resource(TestClusters.secret(ns, "good-secret", Map.of("secret", "s3cret"))).create();
        client.resource(TestClusters.cluster(ns, "push")).create();
        client.resource(TestClusters.app(ns, "first", "push", "7", "key-7", "good-secret")).create();
        existing(client, ns, Secret.class, "push-apps");
        client.resource(TestClusters.app(ns, "no-secret", "push", "8", "key-8", "missing-secret")).create();
        client.resource(TestClusters.app(ns, "same-key", "push", "9", "key-7", "good-secret")).create();
        client.resource(TestClusters.app(ns, "lost", "nowhere", "10", "key-10", "good-secret")).create();
        PushApp twoRules = TestClusters.app(ns, "two-rules", "push", "11", "key-11", "good-secret");
        twoRules.getSpec().history = List.of(new HistoryRuleSpec("chat-", 1, 1), new HistoryRuleSpec("chat-", 2, 2));
        client.resource(twoRules).create();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition missing = condition(ns, "no-secret", Condition.WARNING);
            assertEquals("True", missing.status);
            assertEquals("Secret missing-secret key secret is missing or empty", missing.message);
            Condition clash = condition(ns, "same-key", Condition.WARNING);
            assertEquals("key key-7 is already used by PushApp first", clash.message);
            assertEquals("False", condition(ns, "same-key", Condition.READY).status);
            Condition lost = condition(ns, "lost", Condition.READY);
            assertEquals("ClusterNotFound", lost.reason);
            assertEquals("PushCluster nowhere does not exist in namespace bad-apps", lost.message);
            Condition rules = condition(ns, "two-rules", Condition.READY);
            assertEquals("InvalidApp", rules.reason);
            assertEquals("history[1].prefix 'chat-' is given twice: two rules for one prefix cannot both apply", rules.message);
        });
        assertEquals(List.of("7"), published(ns).stream().map(PublishedApp::id).toList(), "only the valid app is served");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            PushCluster cluster = client.resources(PushCluster.class).inNamespace(ns).withName("push").get();
            assertNotNull(cluster.getStatus(), "no status yet");
            String message = cluster.getStatus().condition(Condition.WARNING).orElseThrow().message;
            assertTrue(message.contains("PushApp same-key is not served: key key-7 is already used by PushApp first"), message);
        });
    }

    private List<PublishedApp> published(String namespace) {
        return published(namespace, "push");
    }

    private List<PublishedApp> published(String namespace, String cluster) {
        Secret secret = existing(client, namespace, Secret.class, AppsSecret.nameFor(cluster));
        return List.of(Serialization.unmarshal(SecretReader.value(secret, AppsSecret.KEY).orElseThrow(), PublishedApp[].class));
    }

    private List<String> ids(String namespace, String cluster) {
        return published(namespace, cluster).stream().map(PublishedApp::id).toList();
    }

    private Condition condition(String namespace, String app, String type) {
        PushApp current = client.resources(PushApp.class).inNamespace(namespace).withName(app).get();
        assertTrue(current.getStatus() != null, app + " has a status");
        return current.getStatus().condition(type).orElseThrow();
    }
}
