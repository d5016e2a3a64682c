package io.herald.gateway.apps;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.herald.contract.AppsSecret;
import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Apps from the Secret named by {@code herald.apps.secret}, changed while the gateway runs, with
 * pusher-java-client as the app's users. The Secret does not exist when the gateway starts.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class SecretAppsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** In the shape the operator writes (operator's ClusterPlanTest pins the same). */
    private static final String APP = "{\"id\":\"secret-app\",\"key\":\"secret-key\",\"secret\":\"first\","
            + "\"clientEvents\":true,\"userAuthentication\":false,\"maxConnections\":0}";

    @TestHTTPResource("/")
    URI root;

    @Inject
    KubernetesClient kubernetes;

    @Inject
    AppRegistry registry;

    @ConfigProperty(name = "herald.apps.secret")
    String secretName;

    private final List<Client> clients = new CopyOnWriteArrayList<>();

    /** A pusher-java-client connection and the error codes it was sent. */
    private record Client(Pusher pusher, List<String> errorCodes) {

        ConnectionState state() {
            return pusher.getConnection().getState();
        }
    }

    @AfterEach
    void removeSecret() {
        clients.forEach(client -> client.pusher().disconnect());
        clients.clear();
        kubernetes.secrets().withName(secretName).delete();
        await().atMost(TIMEOUT).until(() -> registry.byKey("secret-key").isEmpty());
    }

    @Test
    void anAppAddedToTheSecretServesAtOnceAndItsRemovalClosesItsConnectionsWith4001() {
        writeSecret("[" + APP + "]");
        Client client = connectedWhenServed("secret-key");

        writeSecret("[]");
        await().atMost(TIMEOUT).until(() -> client.state() == ConnectionState.DISCONNECTED);
        assertEquals(List.of("4001"), client.errorCodes());

        Client refused = connect("secret-key");
        await().atMost(TIMEOUT).until(() -> refused.state() == ConnectionState.DISCONNECTED);
        assertEquals(List.of("4001"), refused.errorCodes());
    }

    @Test
    void aChangedAppSecretClosesTheAppsConnectionsAndTheKeyServesWithTheNewOne() {
        writeSecret("[" + APP + "]");
        Client before = connectedWhenServed("secret-key");

        writeSecret("[" + APP.replace("first", "second") + "]");
        await().atMost(TIMEOUT).until(() -> before.state() == ConnectionState.DISCONNECTED);
        assertEquals(List.of("4001"), before.errorCodes());
        assertEquals("second", registry.byKey("secret-key").orElseThrow().secret());
        connectedWhenServed("secret-key");
    }

    @Test
    void anInvalidSecretKeepsTheAppsAsTheyWere() {
        writeSecret("[" + APP + "]");
        Client client = connectedWhenServed("secret-key");
        String valid = "{\"id\":\"later-app\",\"key\":\"later-key\",\"secret\":\"s\"}";

        writeSecret("not json");
        // The key of the configured default app: the whole set would have two apps with one key.
        writeSecret("[" + APP + ",{\"id\":\"clash\",\"key\":\"herald-key\",\"secret\":\"s\"}]");
        writeSecret("[" + APP + "," + valid + "]");
        await().atMost(TIMEOUT).until(() -> registry.byKey("later-key").isPresent());

        assertTrue(registry.byKey("secret-key").isPresent());
        assertTrue(registry.byKey("herald-key").isPresent());
        assertTrue(registry.byId("clash").isEmpty());
        assertEquals(ConnectionState.CONNECTED, client.state());
        assertEquals(List.of(), client.errorCodes());
    }

    private void writeSecret(String appsJson) {
        kubernetes.secrets().resource(new SecretBuilder()
                .withNewMetadata().withName(secretName).endMetadata()
                .withData(Map.of(AppsSecret.KEY, Base64.getEncoder().encodeToString(appsJson.getBytes(StandardCharsets.UTF_8))))
                .build()).createOr(NonDeletingOperation::update);
    }

    /** Connects with the key as soon as the gateway serves it. */
    private Client connectedWhenServed(String key) {
        await().atMost(TIMEOUT).until(() -> registry.byKey(key).isPresent());
        Client client = connect(key);
        await().atMost(TIMEOUT).until(() -> client.state() == ConnectionState.CONNECTED);
        return client;
    }

    private Client connect(String key) {
        Pusher pusher = new Pusher(key, new PusherOptions().setHost(root.getHost()).setWsPort(root.getPort()).setUseTLS(false));
        Client client = new Client(pusher, new CopyOnWriteArrayList<>());
        pusher.connect(new ConnectionEventListener() {
            @Override
            public void onConnectionStateChange(ConnectionStateChange change) {
                // The state is read from the connection itself.
            }

            @Override
            public void onError(String message, String code, Exception e) {
                client.errorCodes().add(code);
            }
        }, ConnectionState.ALL);
        clients.add(client);
        return client;
    }
}
