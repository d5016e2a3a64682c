package io.herald.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
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
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.ServerWebSocketImpl;

/**
 * An admitted connection keeps none of its upgrade request's headers (in Vert.x or in WebSockets
 * Next), nor the HTTP server's idle timer, nor Netty's handshaker; what its request says like every
 * other connection's it shares with them; and it goes on working: the memory each idle connection
 * costs depends on it.
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
        try (TestSocket socket = TestSocket.open(socketUri())) {
            WebSocketConnection connection = connectionOf(socket);

            assertTrue(connection.handshakeRequest().headers().isEmpty(), connection.handshakeRequest().headers().toString());
            assertTrue(NettySockets.webSocket(connection).headers().isEmpty());
            assertNull(NettySockets.frameEncoder(connection).pipeline().get(IdleStateHandler.class));

            socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"headless\"}}");
            assertEquals("pusher_internal:subscription_succeeded", socket.next().getString("event"));
            socket.assertStillServed("a connection without its handshake headers and idle timer");
        }
    }

    @Test
    void twoConnectionsOfAnAppShareTheirRequestsStringsAndKeepNoHandshaker() throws Exception {
        try (TestSocket first = TestSocket.open(socketUri()); TestSocket second = TestSocket.open(socketUri())) {
            WebSocketConnection one = connectionOf(first);
            WebSocketConnection other = connectionOf(second);
            ServerWebSocket oneSocket = (ServerWebSocket) NettySockets.webSocket(one);
            ServerWebSocket otherSocket = (ServerWebSocket) NettySockets.webSocket(other);

            assertEquals("/app/herald-key?protocol=7", oneSocket.uri());
            assertSame(oneSocket.uri(), otherSocket.uri());
            assertSame(oneSocket.path(), otherSocket.path());
            assertSame(oneSocket.query(), otherSocket.query());
            assertSame(oneSocket.host(), otherSocket.host());
            assertEquals("herald-key", one.pathParam("key"));
            assertSame(one.pathParam("key"), other.pathParam("key"));
            Field handshaker = ServerWebSocketImpl.class.getDeclaredField("handshaker");
            handshaker.setAccessible(true);
            assertNull(handshaker.get(oneSocket));
            assertSame(connections.get(one.id()).orElseThrow().remoteAddress(),
                    connections.get(other.id()).orElseThrow().remoteAddress());

            second.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"shared\"}}");
            assertEquals("pusher_internal:subscription_succeeded", second.next().getString("event"));
            second.assertStillServed("a connection whose strings are shared");
        }
    }

    private URI socketUri() {
        return URI.create(root.toString().replaceFirst("^http", "ws") + "app/herald-key?protocol=7");
    }

    private WebSocketConnection connectionOf(TestSocket socket) throws Exception {
        String socketId = TestSocket.data(socket.next()).getString("socket_id");
        return open.stream()
                .filter(each -> connections.get(each.id()).map(PusherConnection::socketId).filter(socketId::equals).isPresent())
                .findFirst().orElseThrow();
    }
}
