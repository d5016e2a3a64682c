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
 *
 * <p>For fault injection it can be made unreachable ({@link #stop()}: the port refuses
 * connections, open watches break) and brought back on the same port ({@link #restart()}). The
 * objects are kept across, as etcd keeps them while an API server is down: the new server reuses
 * the old one's CRUD store.
 */
public final class LocalApiServer implements AutoCloseable {

    public static final String NAMESPACE = "herald";
    /** Held so the setting sticks: the mock server logs every request at INFO otherwise. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesCrudDispatcher store;
    private final int port;
    private KubernetesMockServer server;

    private LocalApiServer(KubernetesCrudDispatcher store, int port) {
        this.store = store;
        this.port = port;
    }

    public static LocalApiServer start() {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        LocalApiServer api = new LocalApiServer(new KubernetesCrudDispatcher(), FreePorts.find());
        api.restart();
        return api;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops answering: connections to the port are refused until {@link #restart()}. */
    public synchronized void stop() {
        if (server != null) {
            server.destroy();
            server = null;
        }
    }

    /** Serves again on the same port, with every object it held when stopped. */
    public synchronized void restart() {
        if (server == null) {
            server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), store, false);
            server.init(InetAddress.getLoopbackAddress(), port);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
