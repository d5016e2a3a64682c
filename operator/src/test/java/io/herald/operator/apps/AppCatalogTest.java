package io.herald.operator.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.PushApp;
import io.herald.operator.crd.v1alpha1.spec.ArchiveRuleSpec;
import io.herald.operator.crd.v1alpha1.spec.HistoryRuleSpec;
import io.herald.operator.crd.v1alpha1.spec.OfflineSpec;

class AppCatalogTest {

    private static final Map<String, String> SECRETS = Map.of("a-secret", "aaa", "b-secret", "bbb");

    @Test
    void theOlderAppKeepsAContestedIdOrKey() {
        PushApp older = app("older", "1", "key-1", "a-secret", "2026-01-01T00:00:00Z");
        PushApp sameId = app("same-id", "1", "key-2", "a-secret", "2026-02-01T00:00:00Z");
        PushApp sameKey = app("same-key", "3", "key-1", "b-secret", "2026-03-01T00:00:00Z");
        AppCatalog catalog = AppCatalog.of("ns", List.of(sameKey, sameId, older), this::secret);

        assertEquals(List.of(new PublishedApp("1", "key-1", "aaa", false, false, 0, 0, 0)), catalog.published());
        assertEquals(Optional.of("appId 1 is already used by PushApp older"), catalog.problemOf("same-id"));
        assertEquals(Optional.of("key key-1 is already used by PushApp older"), catalog.problemOf("same-key"));
    }

    @Test
    void anAppWithoutItsSecretOrWithABadIdIsLeftOut() {
        PushApp noSecret = app("no-secret", "1", "key-1", "missing", "2026-01-01T00:00:00Z");
        PushApp badId = app("bad-id", "a b", "key-2", "a-secret", "2026-01-01T00:00:00Z");
        PushApp good = app("good", "3", "key-3", "b-secret", "2026-01-01T00:00:00Z");
        AppCatalog catalog = AppCatalog.of("ns", List.of(noSecret, badId, good), this::secret);

        assertEquals(List.of("3"), catalog.published().stream().map(PublishedApp::id).toList());
        assertEquals(Optional.of("Secret missing key secret is missing or empty"), catalog.problemOf("no-secret"));
        assertEquals(Optional.of("appId must be letters, digits, '_', '.' or '-', was a b"), catalog.problemOf("bad-id"));
        assertEquals(Optional.empty(), catalog.problemOf("good"));
    }

    @Test
    void anAppsStatusNeedsOnlyTheAppsItContendsWith() {
        PushApp oldest = app("oldest", "1", "key-1", "missing", "2026-01-01T00:00:00Z");
        PushApp middle = app("middle", "2", "key-1", "a-secret", "2026-02-01T00:00:00Z");
        PushApp newest = app("newest", "2", "key-3", "b-secret", "2026-03-01T00:00:00Z");
        PushApp unrelated = app("unrelated", "9", "key-9", "c-secret", "2026-01-01T00:00:00Z");
        List<PushApp> all = List.of(unrelated, newest, middle, oldest);

        List<PushApp> contending = AppCatalog.contending(all, newest);
        assertEquals(List.of("newest", "middle", "oldest"), contending.stream().map(app -> app.getMetadata().getName()).toList(),
                "newest shares an id with middle, which shares a key with oldest");
        List<String> read = new ArrayList<>();
        Optional<String> problem = AppCatalog.of("ns", contending, app -> {
            read.add(app.getSpec().secretRef.name);
            return secret(app);
        }).problemOf("newest");
        assertEquals(AppCatalog.of("ns", all, this::secret).problemOf("newest"), problem, "the same answer as from every app");
        assertEquals(Optional.of("appId 2 is already used by PushApp middle"), problem,
                "middle is served: oldest, which had key-1 first, has no secret");
        assertEquals(List.of("missing", "a-secret"), read, "only the Secrets of apps that decide it are read");
        assertEquals(List.of("unrelated"), AppCatalog.contending(all, unrelated).stream()
                .map(app -> app.getMetadata().getName()).toList());
    }

    /** Two teams may each name an app chat; the cluster's status must tell them apart. */
    @Test
    void appsFromAnotherNamespaceAreNamedWithTheirNamespaceAndContendWithTheClustersOwn() {
        PushApp own = app("chat", "1", "key-1", "a-secret", "2026-01-01T00:00:00Z");
        PushApp team = TestClusters.app("team-b", "chat", "push", "1", "key-2", "b-secret");
        team.getSpec().clusterNamespace = "ns";
        team.getMetadata().setCreationTimestamp("2026-02-01T00:00:00Z");
        PushApp sameNameOtherTeam = TestClusters.app("team-c", "chat", "push", "3", "key-3", "b-secret");
        sameNameOtherTeam.getSpec().clusterNamespace = "ns";

        AppCatalog catalog = AppCatalog.of("ns", List.of(team, sameNameOtherTeam, own), this::secret);

        assertEquals(List.of("1", "3"), catalog.published().stream().map(PublishedApp::id).toList());
        assertEquals(Optional.of("appId 1 is already used by PushApp chat"), catalog.problemOf("team-b/chat"));
        assertEquals(Map.of("team-b/chat", "appId 1 is already used by PushApp chat"), catalog.problems());
        assertEquals(List.of(team, own), AppCatalog.contending(List.of(own, team, sameNameOtherTeam), team),
                "an app is found by namespace and name, not by name alone");
    }

    @Test
    void historyAndArchiveRulesArePublishedAsGiven() {
        PushApp chat = app("chat", "1", "key-1", "a-secret", "2026-01-01T00:00:00Z");
        chat.getSpec().history = List.of(new HistoryRuleSpec("", 0, 0), new HistoryRuleSpec("chat-", 500, 600));
        chat.getSpec().archive = List.of(new ArchiveRuleSpec("#server-to-user-", 86_400));

        PublishedApp published = AppCatalog.of("ns", List.of(chat), this::secret).published().get(0);
        assertEquals(List.of(new PublishedApp.History("", 0, 0), new PublishedApp.History("chat-", 500, 600)), published.history());
        assertEquals(List.of(new PublishedApp.Archive("#server-to-user-", 86_400)), published.archive());
    }

    @Test
    void theOfflineRuleIsPublishedAsGivenAndOnlyWhenGiven() {
        PushApp chat = app("chat", "1", "key-1", "a-secret", "2026-01-01T00:00:00Z");
        assertEquals(null, AppCatalog.of("ns", List.of(chat), this::secret).published().get(0).offline());

        chat.getSpec().offline = new OfflineSpec(3600, 50);
        assertEquals(new PublishedApp.Offline(3600, 50), AppCatalog.of("ns", List.of(chat), this::secret).published().get(0).offline());
        assertEquals(new PublishedApp.Offline(86_400, 1000),
                AppCatalog.of("ns", List.of(withSpec("offline: {}")), this::secret).published().get(0).offline(),
                "an empty offline object takes the defaults");
    }

    @Test
    void anAppWithAnInvalidRuleIsLeftOutSayingWhichRuleIsWrong() {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("history[1].prefix 'chat-' is given twice: two rules for one prefix cannot both apply",
                "history: [{prefix: chat-, size: 1, ttlSeconds: 1}, {prefix: chat-, size: 2, ttlSeconds: 2}]");
        refused.put("history[0].size must be 0 (no history) to 10000, was 10001",
                "history: [{prefix: '', size: 10001, ttlSeconds: 1}]");
        refused.put("history[0].ttlSeconds must be 0 to 604800 (a week), was -1",
                "history: [{prefix: '', size: 1, ttlSeconds: -1}]");
        refused.put("history[0].prefix is missing (\"\" matches every channel)", "history: [{size: 1, ttlSeconds: 1}]");
        refused.put("archive[0].prefix must be up to 180 characters of channel names or '#', was chat *",
                "archive: [{prefix: 'chat *', retentionSeconds: 60}]");
        refused.put("archive[1].retentionSeconds must be 1 to 315360000 (ten years), was 0",
                "archive: [{prefix: a, retentionSeconds: 60}, {prefix: b, retentionSeconds: 0}]");
        refused.put("archive[1].prefix '' is given twice: two rules for one prefix cannot both apply",
                "archive: [{prefix: '', retentionSeconds: 60}, {prefix: '', retentionSeconds: 60}]");
        refused.put("offline.retentionSeconds must be 60 to 2592000 (30 days), was 59", "offline: {retentionSeconds: 59}");
        refused.put("offline.retentionSeconds must be 60 to 2592000 (30 days), was 2592001", "offline: {retentionSeconds: 2592001}");
        refused.put("offline.maxEvents must be 1 to 10000, was 0", "offline: {maxEvents: 0}");
        refused.put("offline.maxEvents must be 1 to 10000, was 10001", "offline: {retentionSeconds: 60, maxEvents: 10001}");
        for (Map.Entry<String, String> expected : refused.entrySet()) {
            AppCatalog catalog = AppCatalog.of("ns", List.of(withSpec(expected.getValue())), this::secret);
            assertEquals(List.of(), catalog.published(), expected.getValue());
            assertEquals(Optional.of(expected.getKey()), catalog.problemOf("ruled"), expected.getValue());
        }
        PushApp sameInBothLists = withSpec("history: [{prefix: a, size: 1, ttlSeconds: 1}]\n  archive: [{prefix: a, retentionSeconds: 1}]");
        assertEquals(Optional.empty(), AppCatalog.of("ns", List.of(sameInBothLists), this::secret).problemOf("ruled"),
                "a prefix may have both a history rule and an archive rule");
    }

    @Test
    void webhooksArePublishedWithTheirFiltersAndABadOneKeepsItsAppOut() {
        PublishedApp published = AppCatalog.of("ns", List.of(withSpec("webhooks: [{url: 'https://hooks.example.com/pusher', "
                + "eventTypes: [member_added], channelPrefix: presence-}, {url: 'http://10.0.0.1:8080/all'}]")), this::secret)
                .published().get(0);
        assertEquals(List.of(new PublishedApp.Webhook("https://hooks.example.com/pusher", List.of("member_added"), "presence-"),
                new PublishedApp.Webhook("http://10.0.0.1:8080/all", List.of(), "")), published.webhooks());

        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("webhooks[0].url must be an absolute http:// or https:// URL of a host name or IPv4 address, without "
                + "spaces, was ftp://example.com/x", "webhooks: [{url: 'ftp://example.com/x'}]");
        refused.put("webhooks[1].url must be an absolute http:// or https:// URL of a host name or IPv4 address, without "
                + "spaces, was null", "webhooks: [{url: 'http://example.com'}, {eventTypes: [cache_miss]}]");
        refused.put("webhooks[0].eventTypes may name channel_occupied, channel_vacated, member_added, member_removed, "
                + "client_event, cache_miss, subscription_count; not channel_existence",
                "webhooks: [{url: 'http://example.com', eventTypes: [channel_existence]}]");
        refused.put("webhooks[0].channelPrefix must be up to 180 characters of channel names or '#', was a b",
                "webhooks: [{url: 'http://example.com', channelPrefix: 'a b'}]");
        for (Map.Entry<String, String> expected : refused.entrySet()) {
            AppCatalog catalog = AppCatalog.of("ns", List.of(withSpec(expected.getValue())), this::secret);
            assertEquals(List.of(), catalog.published(), expected.getValue());
            assertEquals(Optional.of(expected.getKey()), catalog.problemOf("ruled"), expected.getValue());
        }
    }

    /** An app whose spec also holds the given YAML, read as from the API server. */
    private static PushApp withSpec(String specYaml) {
        return Serialization.unmarshal("""
                apiVersion: herald.io/v1alpha1
                kind: PushApp
                metadata: {name: ruled, namespace: ns}
                spec:
                  cluster: push
                  appId: "1"
                  key: key-1
                  secretRef: {name: a-secret, key: secret}
                  %s
                """.formatted(specYaml), PushApp.class);
    }

    private Optional<String> secret(PushApp app) {
        return Optional.ofNullable(SECRETS.get(app.getSpec().secretRef.name));
    }

    private static PushApp app(String name, String id, String key, String secret, String created) {
        PushApp app = TestClusters.app("ns", name, "push", id, key, secret);
        app.getMetadata().setCreationTimestamp(created);
        return app;
    }
}
