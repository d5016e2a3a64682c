package io.herald.operator.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.herald.operator.crd.v1alpha1.PushApp;

/**
 * One reconcile's {@link SecretReader}s, one per namespace it reads from: a cluster publishes apps
 * whose Secrets stay in their teams' namespaces. Each reader keeps its own unlabelled Secrets, so a
 * status warns only about the namespace its owner can fix.
 */
public final class SecretReaders {

    private final Function<String, SecretReader> reader;
    private final Map<String, SecretReader> byNamespace = new HashMap<>();

    SecretReaders(Function<String, SecretReader> reader) {
        this.reader = reader;
    }

    public SecretReader in(String namespace) {
        return byNamespace.computeIfAbsent(namespace, reader);
    }

    /** An app's secret, from the app's own namespace. */
    public Optional<String> appSecret(PushApp app) {
        return in(app.getMetadata().getNamespace()).value(app.getSpec().secretRef);
    }
}
