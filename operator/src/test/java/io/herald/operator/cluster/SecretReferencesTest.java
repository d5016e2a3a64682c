package io.herald.operator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.PushApp;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.crd.v1alpha1.SecretKeyRef;
import io.herald.operator.crd.v1alpha1.spec.MongoSpec;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

class SecretReferencesTest {

    private static final PushCluster PUSH = TestClusters.cluster("team-a", "push");
    private static final PushCluster ARCHIVED = archived();
    private static final PushCluster ELSEWHERE = TestClusters.cluster("team-b", "push");
    private static final PushApp CHAT = TestClusters.app("team-a", "chat", "push", "1", "k1", "chat-secret");
    private static final PushApp NEWS = TestClusters.app("team-a", "news", "archived", "2", "k2", "news-secret");

    @Test
    void aSecretThePodsReadConcernsTheClustersThatNameItInItsNamespaceOnly() {
        assertEquals(Set.of(new ResourceID("push", "team-a"), new ResourceID("archived", "team-a")),
                clusters(secret("team-a", TestClusters.REDIS_SECRET)));
        assertEquals(Set.of(new ResourceID("archived", "team-a")), clusters(secret("team-a", "mongo")));
        assertEquals(Set.of(new ResourceID("push", "team-b")), clusters(secret("team-b", TestClusters.REDIS_SECRET)));
    }

    @Test
    void anAppsSecretConcernsTheClusterThatPublishesItAndTheAppItself() {
        Secret news = secret("team-a", "news-secret");
        assertEquals(Set.of(new ResourceID("archived", "team-a")), clusters(news));
        assertEquals(Set.of(new ResourceID("news", "team-a")), SecretReferences.apps(news, Stream.of(CHAT, NEWS)));
    }

    @Test
    void aClustersPublishedAppsSecretConcernsItsAppsButNoCluster() {
        Secret published = secret("team-a", "push-apps");
        assertEquals(Set.of(new ResourceID("chat", "team-a")), SecretReferences.apps(published, Stream.of(CHAT, NEWS)));
        assertEquals(Set.of(), clusters(published));
    }

    /** The app's secret stays in its team's namespace; the apps Secret is in the cluster's. */
    @Test
    void aTeamsAppSecretConcernsTheClusterElsewhereAndThatClustersAppsSecretConcernsTheTeamsApp() {
        PushApp teamApp = TestClusters.app("team-c", "chat", "push", "3", "k3", "chat-secret");
        teamApp.getSpec().clusterNamespace = "team-a";

        assertEquals(Set.of(new ResourceID("push", "team-a")),
                SecretReferences.clusters(secret("team-c", "chat-secret"), Stream.of(PUSH), Stream.of(teamApp)));
        assertEquals(Set.of(new ResourceID("chat", "team-c"), new ResourceID("chat", "team-a")),
                SecretReferences.apps(secret("team-a", "push-apps"), Stream.of(CHAT, NEWS, teamApp)));
        assertEquals(Set.of(), SecretReferences.apps(secret("team-c", "push-apps"), Stream.of(teamApp)),
                "a Secret of that name in the team's namespace is not the cluster's");
    }

    @Test
    void anUnrelatedSecretConcernsNothing() {
        Secret other = secret("team-a", "tls");
        assertEquals(Set.of(), clusters(other));
        assertEquals(Set.of(), SecretReferences.apps(other, Stream.of(CHAT, NEWS)));
    }

    private static Set<ResourceID> clusters(Secret secret) {
        return SecretReferences.clusters(secret, Stream.of(PUSH, ARCHIVED, ELSEWHERE), Stream.of(CHAT, NEWS));
    }

    private static Secret secret(String namespace, String name) {
        return TestClusters.secret(namespace, name, Map.of());
    }

    private static PushCluster archived() {
        PushCluster cluster = TestClusters.cluster("team-a", "archived");
        cluster.getSpec().mongodb = new MongoSpec();
        cluster.getSpec().mongodb.uriSecret = new SecretKeyRef("mongo", "uri");
        return cluster;
    }
}
