package io.herald.operator.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.PushApp;
import io.herald.operator.crd.v1alpha1.SecretKeyRef;

class AppCatalogTest {

    private static final Map<String, String> SECRETS = Map.of("a-secret", "aaa", "b-secret", "bbb");

    @Test
    void theOlderAppKeepsAContestedIdOrKey() {
        PushApp older = app("older", "1", "key-1", "a-secret", "2026-01-01T00:00:00Z");
        PushApp sameId = app("same-id", "1", "key-2", "a-secret", "2026-02-01T00:00:00Z");
        PushApp sameKey = app("same-key", "3", "key-1", "b-secret", "2026-03-01T00:00:00Z");
        AppCatalog catalog = AppCatalog.of(List.of(sameKey, sameId, older), this::secret);

        assertEquals(List.of(new PublishedApp("1", "key-1", "aaa", false, false, 0, 0, 0)), catalog.published());
        assertEquals(Optional.of("appId 1 is already used by PushApp older"), catalog.problemOf("same-id"));
        assertEquals(Optional.of("key key-1 is already used by PushApp older"), catalog.problemOf("same-key"));
    }

    @Test
    void anAppWithoutItsSecretOrWithABadIdIsLeftOut() {
        PushApp noSecret = app("no-secret", "1", "key-1", "missing", "2026-01-01T00:00:00Z");
        PushApp badId = app("bad-id", "a b", "key-2", "a-secret", "2026-01-01T00:00:00Z");
        PushApp good = app("good", "3", "key-3", "b-secret", "2026-01-01T00:00:00Z");
        AppCatalog catalog = AppCatalog.of(List.of(noSecret, badId, good), this::secret);

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

        List<PushApp> contending = AppCatalog.contending(all, "newest");
        assertEquals(List.of("newest", "middle", "oldest"), contending.stream().map(app -> app.getMetadata().getName()).toList(),
                "newest shares an id with middle, which shares a key with oldest");
        List<String> read = new ArrayList<>();
        Optional<String> problem = AppCatalog.of(contending, ref -> {
            read.add(ref.name);
            return secret(ref);
        }).problemOf("newest");
        assertEquals(AppCatalog.of(all, this::secret).problemOf("newest"), problem, "the same answer as from every app");
        assertEquals(Optional.of("appId 2 is already used by PushApp middle"), problem,
                "middle is served: oldest, which had key-1 first, has no secret");
        assertEquals(List.of("missing", "a-secret"), read, "only the Secrets of apps that decide it are read");
        assertEquals(List.of("unrelated"), AppCatalog.contending(all, "unrelated").stream()
                .map(app -> app.getMetadata().getName()).toList());
    }

    private Optional<String> secret(SecretKeyRef ref) {
        return Optional.ofNullable(SECRETS.get(ref.name));
    }

    private static PushApp app(String name, String id, String key, String secret, String created) {
        PushApp app = TestClusters.app("ns", name, "push", id, key, secret);
        app.getMetadata().setCreationTimestamp(created);
        return app;
    }
}
