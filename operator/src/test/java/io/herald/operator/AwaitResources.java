package io.herald.operator;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Waits, bounded, for what the operator is expected to write. */
public final class AwaitResources {

    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private AwaitResources() {
    }

    /** Edits as a user would: the operator may have written the object since it was read (409), so retry. */
    public static <T extends HasMetadata> void edit(KubernetesClient client, String namespace, Class<T> type, String name,
            UnaryOperator<T> change) {
        await().atMost(TIMEOUT).ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> {
            client.resources(type).inNamespace(namespace).withName(name).edit(change);
            return true;
        });
    }

    public static <T extends HasMetadata> T existing(KubernetesClient client, String namespace, Class<T> type, String name) {
        return await().atMost(TIMEOUT)
                .until(() -> client.resources(type).inNamespace(namespace).withName(name).get(), resource -> resource != null);
    }
}
