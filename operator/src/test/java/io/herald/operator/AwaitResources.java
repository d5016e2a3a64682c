package io.herald.operator;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Waits, bounded, for what the operator is expected to write. */
public final class AwaitResources {

    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private AwaitResources() {
    }

    public static <T extends HasMetadata> T existing(KubernetesClient client, String namespace, Class<T> type, String name) {
        return await().atMost(TIMEOUT)
                .until(() -> client.resources(type).inNamespace(namespace).withName(name).get(), resource -> resource != null);
    }
}
