package io.herald.local;

import java.net.InetAddress;
import java.util.HashMap;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * The Kubernetes API of local mode: Fabric8's API server in CRUD mode, in the launcher's process.
 * Gateways and routers keep their Leases in it exactly as they would in a cluster (optimistic
 * locking, watches), so membership runs the same code everywhere; its state lives and dies with
 * the launcher. With a kubeconfig, local mode uses that cluster's API server instead.
 */
public final class LocalApiServer implements AutoCloseable {

    public static final String NAMESPACE = "herald";
    /** Held so the setting sticks: the mock server logs every request at INFO otherwise. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;

    private LocalApiServer(KubernetesMockServer server) {
        this.server = server;
    }

    public static LocalApiServer start() {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), FreePorts.find());
        return new LocalApiServer(server);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        server.destroy();
    }
}
