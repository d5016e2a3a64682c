package io.herald.operator.cluster;

import static io.herald.operator.AwaitResources.TIMEOUT;
import static io.herald.operator.HourlyResync.BY_EVENT;
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
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.herald.contract.AppsSecret;
import io.herald.operator.HourlyResync;
import io.herald.operator.RecordedRequests;
import io.herald.operator.TestClusters;
import io.herald.operator.apps.PublishedApp;
import io.herald.operator.crd.v1alpha1.Condition;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.model.PodTemplates;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * Referenced Secrets come from the operator's watch on labelled Secrets, not from a GET per
 * reconcile, and their changes reconcile what references them. The resync is an hour here, so
 * only a Secret's event or the 30 s maximum reconciliation interval can start a reconcile.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(HourlyResync.class)
class WatchedSecretsMockServerTest {

    @Inject
    KubernetesClient client;

    @KubernetesTestServer
    KubernetesServer server;

    @Test
    void aRotatedLabelledSecretReconcilesWhatNamesItAndIsReadFromTheWatchWithoutAGet() throws InterruptedException {
        String ns = "rotate";
        client.resource(TestClusters.redisSecret(ns)).create();
        client.resource(TestClusters.secret(ns, "chat-secret", Map.of("secret", "old"))).create();
        client.resource(TestClusters.cluster(ns, "push")).create();
        client.resource(TestClusters.app(ns, "chat", "push", "1001", "chat-key", "chat-secret")).create();
        await().atMost(TIMEOUT).until(() -> "old".equals(publishedSecret(ns)));
        String digest = digest(existing(client, ns, Deployment.class, "push-gateway"));
        // Read before the requests are recorded: an update without a resourceVersion would GET the Secret itself.
        Secret redis = rotated(client.secrets().inNamespace(ns).withName(TestClusters.REDIS_SECRET).get(),
                Map.of("address", "redis-2.example:6379"));
        Secret chat = rotated(client.secrets().inNamespace(ns).withName("chat-secret").get(), Map.of("secret", "new"));
        RecordedRequests.since(server);

        client.resource(redis).update();
        client.resource(chat).update();

        // The reconciles that published "old" just ran, so the maximum interval is 30 s away.
        await().atMost(BY_EVENT).until(() -> "new".equals(publishedSecret(ns))
                && !digest.equals(digest(client.apps().deployments().inNamespace(ns).withName("push-gateway").get())));
        List<String> secretReads = RecordedRequests.since(server).stream()
                .filter(request -> "GET".equals(request.getMethod()))
                .map(RecordedRequest::getPath)
                .filter(path -> path.startsWith("/api/v1/namespaces/" + ns + "/secrets/redis")
                        || path.startsWith("/api/v1/namespaces/" + ns + "/secrets/chat-secret"))
                .toList();
        assertEquals(List.of(), secretReads, "the reconciles that applied both rotations read the Secrets from the watch");
    }

    @Test
    void anUnlabelledSecretStillWorksWithAWarningThatAsksForTheLabelUntilItHasIt() {
        String ns = "unlabelled";
        Secret redis = TestClusters.redisSecret(ns);
        redis.getMetadata().setLabels(Map.of());
        client.resource(redis).create();
        client.resource(TestClusters.cluster(ns, "push")).create();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition warning = warning(ns);
            assertEquals("True", warning.status);
            assertTrue(warning.message.contains("Secret redis is not labelled herald.io/secret=true: the operator reads it "
                    + "with a GET on every reconcile"), warning.message);
        });
        assertNotNull(digest(existing(client, ns, Deployment.class, "push-gateway")), "the cluster is created all the same");

        edit(client, ns, Secret.class, TestClusters.REDIS_SECRET, secret -> {
            secret.getMetadata().setLabels(Map.of(WatchedSecrets.LABEL, "true"));
            return secret;
        });
        await().atMost(BY_EVENT).untilAsserted(() -> assertEquals("False", warning(ns).status, warning(ns).message));
    }

    private static Secret rotated(Secret current, Map<String, String> values) {
        current.setData(TestClusters.secret(current.getMetadata().getNamespace(), current.getMetadata().getName(), values)
                .getData());
        return current;
    }

    private Condition warning(String ns) {
        PushCluster current = client.resources(PushCluster.class).inNamespace(ns).withName("push").get();
        assertNotNull(current.getStatus(), "no status yet");
        return current.getStatus().condition(Condition.WARNING).orElseThrow();
    }

    private String publishedSecret(String ns) {
        Secret apps = client.secrets().inNamespace(ns).withName(AppsSecret.nameFor("push")).get();
        return apps == null ? null : SecretReader.value(apps, AppsSecret.KEY)
                .map(json -> Serialization.unmarshal(json, PublishedApp[].class))
                .filter(published -> published.length == 1).map(published -> published[0].secret()).orElse(null);
    }

    private static String digest(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getAnnotations().get(PodTemplates.SECRETS_DIGEST_ANNOTATION);
    }
}
