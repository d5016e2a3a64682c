package io.herald.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.local.TestSocket;
import io.netty.handler.timeout.IdleStateHandler;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * An admitted connection keeps none of its upgrade request's headers (in Vert.x or in WebSockets
 * Next) nor the HTTP server's idle timer, and goes on working without them: the memory each idle
 * connection costs depends on it.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class UpgradeLeftoversTest {

    @TestHTTPResource("/")
    URI root;

    @Inject
    OpenConnections open;

    @Inject
    Connections connections;

    @Test
    void anAdmittedConnectionKeepsNoHandshakeHeadersNorIdleTimerAndStillWorks() throws Exception {
        try (TestSocket socket = TestSocket.open(URI.create(root.toString().replaceFirst("^http", "ws") + "app/herald-key?protocol=7"))) {
            String socketId = TestSocket.data(socket.next()).getString("socket_id");
            WebSocketConnection connection = open.stream()
                    .filter(each -> connections.get(each.id()).map(PusherConnection::socketId).filter(socketId::equals).isPresent())
                    .findFirst().orElseThrow();

            assertTrue(connection.handshakeRequest().headers().isEmpty(), connection.handshakeRequest().headers().toString());
            assertTrue(NettySockets.webSocket(connection).headers().isEmpty());
            assertNull(NettySockets.frameEncoder(connection).pipeline().get(IdleStateHandler.class));

            socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"headless\"}}");
            assertEquals("pusher_internal:subscription_succeeded", socket.next().getString("event"));
            socket.assertStillServed("a connection without its handshake headers and idle timer");
        }
    }
}
