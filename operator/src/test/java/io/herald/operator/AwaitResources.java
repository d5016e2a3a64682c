package io.herald.operator;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
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

    /**
     * Reports a Deployment fully rolled out, as its controller would once every replica runs its
     * current generation and is ready: the mock API server runs no controllers.
     */
    public static void rollOut(KubernetesClient client, String namespace, String name) {
        Deployment deployment = existing(client, namespace, Deployment.class, name);
        int replicas = deployment.getSpec().getReplicas();
        deployment.setStatus(new DeploymentStatusBuilder().withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas)
                .build());
        client.resource(deployment).updateStatus();
    }
}
