package io.herald.operator.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

        assertEquals(List.of(new PublishedApp("1", "key-1", "aaa", false, false, 0)), catalog.published());
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

    private Optional<String> secret(SecretKeyRef ref) {
        return Optional.ofNullable(SECRETS.get(ref.name));
    }

    private static PushApp app(String name, String id, String key, String secret, String created) {
        PushApp app = TestClusters.app("ns", name, "push", id, key, secret);
        app.getMetadata().setCreationTimestamp(created);
        return app;
    }
}
