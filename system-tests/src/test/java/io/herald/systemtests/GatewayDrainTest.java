package io.herald.systemtests;

import static io.herald.systemtests.PusherClients.client;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.pusher.client.Pusher;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.local.LocalApiServer;
import io.herald.local.LocalCluster;
import io.herald.local.NodeProcess;

/**
 * A gateway asked to stop (SIGTERM) drains: it turns unready and refuses new connections at once,
 * closes its connections with 4200 spread over its drain period, exits, and releases its Lease.
 */
class GatewayDrainTest {

    private static final Duration DRAIN = Duration.ofSeconds(3);
    private static final int CLIENTS = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void aStoppingGatewayClosesItsConnectionsOverItsDrainPeriodThenLeaves() throws Exception {
        List<Client> clients = new ArrayList<>();
        try (LocalCluster cluster = TestClusters.start(GatewayDrainTest.class, 1, 1);
                KubernetesClient kubernetes = TestClusters.kubernetes(cluster)) {
            NodeProcess gateway = cluster.startGateway("gateway-draining", Map.of("HERALD_DRAIN_PERIOD", DRAIN.toSeconds() + "s"));
            assertEquals(TestClusters.memberId(cluster, gateway), leaseHolder(kubernetes, gateway));
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(connect(gateway));
            }
            await().atMost(TIMEOUT).until(() -> clients.stream().allMatch(client -> client.states().contains(ConnectionState.CONNECTED)));

            long stopAt = System.nanoTime();
            gateway.process().destroy();

            await().atMost(DRAIN).pollInterval(Duration.ofMillis(50)).until(() -> drainingAndUnready(gateway));
            Client late = connect(gateway);
            clients.add(late);
            await().atMost(DRAIN).until(() -> late.told4200AtNanos().get() != 0);
            assertFalse(late.states().contains(ConnectionState.CONNECTED), "a connection opened during the drain");

            assertTrue(gateway.process().waitFor(DRAIN.plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS),
                    "the gateway did not exit within its drain period and 5 s");
            List<Long> closedAfterMillis = new ArrayList<>();
            for (Client client : clients.subList(0, CLIENTS)) {
                assertNotEquals(0, client.told4200AtNanos().get(), "a client was not told to reconnect with 4200");
                // Closed with a code that asks for a reconnection, unlike 4000 to 4099.
                assertTrue(client.states().contains(ConnectionState.RECONNECTING), "states " + client.states());
                closedAfterMillis.add(Duration.ofNanos(client.told4200AtNanos().get() - stopAt).toMillis());
            }
            Collections.sort(closedAfterMillis);
            long spread = closedAfterMillis.get(CLIENTS - 1) - closedAfterMillis.get(0);
            assertTrue(spread >= DRAIN.toMillis() / 2, "closes spread over only " + spread + " ms: " + closedAfterMillis);
            assertTrue(closedAfterMillis.get(CLIENTS - 1) <= DRAIN.toMillis() + 1000, "late closes: " + closedAfterMillis);

            assertEquals("", leaseHolder(kubernetes, gateway), "the Lease was not released");
        } finally {
            clients.forEach(client -> client.pusher().disconnect());
        }
    }

    /** A pusher-java-client connection, the states it went through, and when it was first sent {@code pusher:error} 4200. */
    private record Client(Pusher pusher, List<ConnectionState> states, AtomicLong told4200AtNanos) {
    }

    private static Client connect(NodeProcess gateway) {
        Client client = new Client(client(gateway), new CopyOnWriteArrayList<>(), new AtomicLong());
        client.pusher().connect(new ConnectionEventListener() {
            @Override
            public void onConnectionStateChange(ConnectionStateChange change) {
                client.states().add(change.getCurrentState());
            }

            @Override
            public void onError(String message, String code, Exception e) {
                if ("4200".equals(code)) {
                    client.told4200AtNanos().compareAndSet(0, System.nanoTime());
                }
            }
        }, ConnectionState.ALL);
        return client;
    }

    /** The holder of the gateway's Lease; empty once released or deleted. */
    private static String leaseHolder(KubernetesClient kubernetes, NodeProcess gateway) {
        Lease lease = kubernetes.leases().inNamespace(LocalApiServer.NAMESPACE).withName(gateway.nodeId()).get();
        return lease == null || lease.getSpec().getHolderIdentity() == null ? "" : lease.getSpec().getHolderIdentity();
    }

    /** Whether the readiness check fails because the gateway drains (not because its HTTP server stopped). */
    private static boolean drainingAndUnready(NodeProcess gateway) throws InterruptedException {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.httpPort() + "/q/health/ready")).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 503 && response.body().replaceAll("\\s", "").contains("\"draining\":true");
        } catch (IOException e) {
            return false;
        }
    }
}
