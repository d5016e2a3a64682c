package io.herald.local;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} the API server of local mode ({@link LocalApiServer}: Fabric8's, in
 * CRUD mode) for the Leases, and points the Kubernetes client at it. Unlike
 * {@code @WithKubernetesTestServer}, test classes that declare the same resources share one
 * Quarkus start.
 */
public class KubernetesApiTestResource implements QuarkusTestResourceLifecycleManager {

    private LocalApiServer server;

    @Override
    public Map<String, String> start() {
        server = LocalApiServer.start();
        return Map.of("quarkus.kubernetes-client.api-server-url", server.url(),
                "quarkus.kubernetes-client.namespace", LocalApiServer.NAMESPACE);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
