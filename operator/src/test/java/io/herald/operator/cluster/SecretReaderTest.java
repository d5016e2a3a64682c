package io.herald.operator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.SecretKeyRef;

class SecretReaderTest {

    private final List<String> fetched = new ArrayList<>();

    @Test
    void aWatchedSecretIsReadFromTheCacheAlone() {
        SecretReader reader = reader(Optional.of(TestClusters.redisSecret("ns")), Optional.empty());
        assertEquals(Optional.of("redis.example:6379"), reader.value(new SecretKeyRef(TestClusters.REDIS_SECRET, "address")));
        assertEquals(List.of(), fetched);
        assertEquals(List.of(), reader.unlabelledWarnings());
    }

    @Test
    void anUnlabelledSecretIsFetchedAndAskedToBeLabelled() {
        Secret unlabelled = TestClusters.secret("ns", "chat", Map.of("secret", "s3cret"));
        unlabelled.getMetadata().setLabels(null);
        SecretReader reader = reader(Optional.empty(), Optional.of(unlabelled));
        assertTrue(reader.hasValue(new SecretKeyRef("chat", "secret")));
        assertEquals(List.of("chat"), fetched);
        assertEquals(List.of("Secret chat is not labelled herald.io/secret=true: the operator reads it with a GET on every "
                + "reconcile and applies a change only at its next resync; label it to have changes applied at once"),
                reader.unlabelledWarnings());
    }

    @Test
    void aSecretOnlyCheckedForExistenceNeedsNoLabel() {
        Secret tls = TestClusters.secret("ns", "push-tls", Map.of());
        tls.getMetadata().setLabels(null);
        SecretReader reader = reader(Optional.empty(), Optional.of(tls));
        assertTrue(reader.exists("push-tls"));
        assertEquals(List.of(), reader.unlabelledWarnings());
    }

    private SecretReader reader(Optional<Secret> watched, Optional<Secret> onServer) {
        return new SecretReader(name -> watched, name -> {
            fetched.add(name);
            return onServer;
        });
    }
}
