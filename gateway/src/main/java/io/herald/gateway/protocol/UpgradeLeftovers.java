package io.herald.gateway.protocol;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.timeout.IdleStateHandler;
import io.quarkus.websockets.next.WebSocketConnection;
import io.quarkus.websockets.next.runtime.WebSocketConnectionBase;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.ServerWebSocketImpl;
import io.vertx.core.http.impl.WebSocketImplBase;
import io.vertx.core.http.impl.WebSocketInternal;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import io.vertx.ext.web.impl.ServerWebSocketWrapper;

/**
 * What an admitted WebSocket connection keeps from its HTTP upgrade and no longer needs, dropped
 * or shared so that an idle connection costs less (docs/performance.md, "Memory per idle
 * connection"):
 * <ul>
 * <li>The request's headers. Vert.x keeps them on its WebSocket and WebSockets Next a lower-cased
 * copy on the handshake request, for the connection's whole life, though Herald reads them only
 * while admitting it. With the load generator's seven headers that was about 1.1 KB of live heap
 * per connection; a browser sends a dozen or more (user agent, cookies).
 * <li>The HTTP server's idle timer ({@code quarkus.http.idle-timeout}), one scheduled task per
 * connection, meant for idle keep-alive requests. A WebSocket's liveness is the activity timeout's
 * ({@link ActivityMonitor}, one sweep for all connections).
 * <li>Netty's handshaker, which Vert.x uses only to answer the upgrade, with its copies of the URI
 * and the configured subprotocols.
 * <li>Copies of what every connection of an app says alike: the request's host, URI, path and
 * query (in Vert.x's WebSocket and Vert.x Web's wrapper) and the app key (WebSockets Next's path
 * parameter). They stay readable, as one interned instance each instead of a copy per connection.
 * </ul>
 *
 * <p>Neither library offers a way to do this, so the fields are set by reflection: the headers to
 * empty maps that refuse additions, the strings to their interned equals. The fields are looked up
 * once, like {@link NettySockets}': an upgrade that renames them fails the first connection and
 * every gateway test, not a delivery.
 */
final class UpgradeLeftovers {

    private static final MultiMap NO_HEADERS = new HeadersAdaptor(EmptyHttpHeaders.INSTANCE);
    private static final Field VERTX_HEADERS = field(WebSocketImplBase.class, "headers");
    private static final Field WEBSOCKETS_NEXT_HEADERS = field(
            "io.quarkus.websockets.next.runtime.WebSocketConnectionImpl$HandshakeRequestImpl", "headers");
    private static final Field HANDSHAKER = field(ServerWebSocketImpl.class, "handshaker");
    private static final List<Field> SHARED_STRINGS = List.of(field(ServerWebSocketImpl.class, "host"),
            field(ServerWebSocketImpl.class, "uri"), field(ServerWebSocketImpl.class, "path"),
            field(ServerWebSocketImpl.class, "query"));
    private static final Field WRAPPER_HOST = field(ServerWebSocketWrapper.class, "host");
    private static final Field PATH_PARAMS = field(WebSocketConnectionBase.class, "pathParams");

    private UpgradeLeftovers() {
    }

    /** Drops both copies of the connection's handshake headers, its handshaker and its idle timer, and shares its strings. */
    static void drop(WebSocketConnection connection) {
        WebSocketInternal webSocket = NettySockets.webSocket(connection);
        try {
            VERTX_HEADERS.set(webSocket, NO_HEADERS);
            WEBSOCKETS_NEXT_HEADERS.set(connection.handshakeRequest(), Map.of());
            HANDSHAKER.set(webSocket, null);
            for (Field string : SHARED_STRINGS) {
                share(string, webSocket);
            }
            if (NettySockets.outer(connection) instanceof ServerWebSocketWrapper wrapper) {
                share(WRAPPER_HOST, wrapper);
            }
            Map<String, String> shared = new HashMap<>();
            ((Map<?, ?>) PATH_PARAMS.get(connection)).forEach((name, value) -> shared.put(((String) name).intern(),
                    ((String) value).intern()));
            PATH_PARAMS.set(connection, Map.copyOf(shared));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Could not drop the handshake leftovers of " + connection.id(), e);
        }
        ChannelPipeline pipeline = webSocket.channelHandlerContext().pipeline();
        if (pipeline.get(IdleStateHandler.class) != null) {
            pipeline.remove(IdleStateHandler.class);
        }
    }

    /** Replaces the string in the field by its interned equal. */
    private static void share(Field field, Object owner) throws IllegalAccessException {
        if (field.get(owner) instanceof String value) {
            field.set(owner, value.intern());
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
