package io.herald.gateway.protocol;

import java.lang.reflect.Field;
import java.util.Map;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.timeout.IdleStateHandler;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.WebSocketImplBase;
import io.vertx.core.http.impl.WebSocketInternal;
import io.vertx.core.http.impl.headers.HeadersAdaptor;

/**
 * What an admitted WebSocket connection keeps from its HTTP upgrade and no longer needs, dropped
 * so that an idle connection costs less (docs/performance.md, "Memory per idle connection"):
 * <ul>
 * <li>The request's headers. Vert.x keeps them on its WebSocket and WebSockets Next a lower-cased
 * copy on the handshake request, for the connection's whole life, though Herald reads them only
 * while admitting it. With the load generator's seven headers that was about 1.1 KB of live heap
 * per connection; a browser sends a dozen or more (user agent, cookies).
 * <li>The HTTP server's idle timer ({@code quarkus.http.idle-timeout}), one scheduled task per
 * connection, meant for idle keep-alive requests. A WebSocket's liveness is the activity timeout's
 * ({@link ActivityMonitor}, one sweep for all connections).
 * </ul>
 *
 * <p>Neither library offers a way to drop the headers, so both fields are set by reflection, to
 * empty maps that refuse additions. The fields are looked up once, like {@link NettySockets}': an
 * upgrade that renames them fails the first connection and every gateway test, not a delivery.
 */
final class UpgradeLeftovers {

    private static final MultiMap NO_HEADERS = new HeadersAdaptor(EmptyHttpHeaders.INSTANCE);
    private static final Field VERTX_HEADERS = field(WebSocketImplBase.class, "headers");
    private static final Field WEBSOCKETS_NEXT_HEADERS = field(
            "io.quarkus.websockets.next.runtime.WebSocketConnectionImpl$HandshakeRequestImpl", "headers");

    private UpgradeLeftovers() {
    }

    /** Drops both copies of the connection's handshake headers and its idle timer. */
    static void drop(WebSocketConnection connection) {
        WebSocketInternal webSocket = NettySockets.webSocket(connection);
        try {
            VERTX_HEADERS.set(webSocket, NO_HEADERS);
            WEBSOCKETS_NEXT_HEADERS.set(connection.handshakeRequest(), Map.of());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Could not drop the handshake headers of " + connection.id(), e);
        }
        ChannelPipeline pipeline = webSocket.channelHandlerContext().pipeline();
        if (pipeline.get(IdleStateHandler.class) != null) {
            pipeline.remove(IdleStateHandler.class);
        }
    }

    private static Field field(String owner, String name) {
        try {
            return field(Class.forName(owner, false, UpgradeLeftovers.class.getClassLoader()), name);
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError("This Quarkus WebSockets Next has no " + owner + ": " + e);
        }
    }

    private static Field field(Class<?> owner, String name) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("This Quarkus WebSockets Next or Vert.x has no " + owner.getSimpleName()
                    + "." + name + ": " + e);
        }
    }
}
