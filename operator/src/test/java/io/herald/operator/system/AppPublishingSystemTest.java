package io.herald.operator.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.contract.AppsSecret;
import io.herald.local.LocalCluster;
import io.herald.local.LocalClusterOptions;
import io.herald.local.NodeProcess;
import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.PushApp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The whole path of a PushApp, with real parts: the operator (in this test's Quarkus) writes the
 * cluster's apps Secret, two real gateway processes watching it serve the app without a restart,
 * a pusher-java-client on each receives what pusher-http-java publishes through a real router and
 * Redis, and deleting the PushApp disconnects both clients with 4001. The processes share the
 * operator's test API server, through a kubeconfig, as pods share their cluster's.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class AppPublishingSystemTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String NS = "e2e";

    @Inject
    KubernetesClient client;

    @Test
    void aPushAppIsServedByEveryGatewayWithinSecondsAndItsDeletionDisconnectsItsClients() throws Exception {
        Path home = Path.of("..").toAbsolutePath().normalize();
        try (LocalCluster cluster = LocalCluster.start(LocalClusterOptions.defaults(home)
                .withFirstGatewayPort(0)
                .withKubeconfig(Optional.of(TestClusters.kubeconfig(client.getMasterUrl().toString(), NS)))
                .withLogDirectory(home.resolve("operator/target/cluster-logs")))) {
            servedAndWithdrawn(cluster);
        }
    }

    private void servedAndWithdrawn(LocalCluster cluster) {
        String clusterName = cluster.options().clusterName();
        // As the operator's gateway Deployment sets it; the Secret appears only once the cluster exists.
        Map<String, String> settings = Map.of("HERALD_APPS_SECRET", AppsSecret.nameFor(clusterName));
        List<NodeProcess> gateways = List.of(cluster.startGateway("gateway-a", settings), cluster.startGateway("gateway-b", settings));

        client.resource(TestClusters.redisSecret(NS)).create();
        client.resource(TestClusters.secret(NS, "chat-secret", Map.of("secret", "chat-s3cret"))).create();
        client.resource(TestClusters.cluster(NS, clusterName)).create();
        PushApp chat = TestClusters.app(NS, "chat", clusterName, "1001", "chat-key", "chat-secret");
        client.resource(chat).create();

        List<Client> clients = gateways.stream().map(Client::new).toList();
        for (Client each : clients) {
            await().atMost(TIMEOUT).until(() -> each.connectWhenServed());
        }
        List<String> received = new CopyOnWriteArrayList<>();
        for (Client each : clients) {
            each.pusher.subscribe("news").bind("story", event -> received.add(each.gateway.nodeId() + ":" + event.getData()));
        }
        com.pusher.rest.Pusher publisher = new com.pusher.rest.Pusher("1001", "chat-key", "chat-s3cret");
        publisher.setHost("127.0.0.1:" + gateways.get(0).httpPort());
        publisher.setEncrypted(false);
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            publisher.trigger("news", "story", Map.of("n", 1));
            return received.stream().map(line -> line.substring(0, line.indexOf(':'))).distinct().count() == 2;
        });

        client.resources(PushApp.class).inNamespace(NS).withName("chat").delete();
        for (Client each : clients) {
            await().atMost(TIMEOUT).until(() -> each.errors.contains("4001"));
            assertEquals(List.of("4001"), each.errors, "the app's withdrawal is the only error " + each.gateway.nodeId() + " sent");
            each.pusher.disconnect();
        }
    }

    /** A pusher-java-client for the app, retried until a gateway serves the key. */
    private static final class Client {

        final NodeProcess gateway;
        final List<String> errors = new CopyOnWriteArrayList<>();
        Pusher pusher;

        Client(NodeProcess gateway) {
            this.gateway = gateway;
        }

        boolean connectWhenServed() {
            if (pusher != null && pusher.getConnection().getState() == ConnectionState.CONNECTED) {
                return true;
            }
            if (pusher != null) {
                pusher.disconnect();
            }
            errors.clear();
            pusher = new Pusher("chat-key", new PusherOptions().setHost("127.0.0.1").setWsPort(gateway.httpPort()).setUseTLS(false));
            pusher.connect(new ConnectionEventListener() {
                @Override
                public void onConnectionStateChange(ConnectionStateChange change) {
                }

                @Override
                public void onError(String message, String code, Exception e) {
                    errors.add(code);
                }
            }, ConnectionState.ALL);
            await().atMost(Duration.ofSeconds(5)).until(() -> pusher.getConnection().getState() == ConnectionState.CONNECTED
                    || !errors.isEmpty());
            return pusher.getConnection().getState() == ConnectionState.CONNECTED;
        }
    }
}
