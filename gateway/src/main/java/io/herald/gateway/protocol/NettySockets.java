package io.herald.gateway.protocol;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.quarkus.websockets.next.WebSocketConnection;
import io.quarkus.websockets.next.runtime.WebSocketConnectionBase;
import io.vertx.core.http.impl.WebSocketInternal;
import io.vertx.ext.web.impl.ServerWebSocketWrapper;

/**
 * The Netty channel under a WebSockets Next connection. WebSockets Next only sends through a
 * {@code Uni} per frame, which costs a Mutiny pipeline, a {@code CompletableFuture}, a Vert.x
 * promise, a cross-thread task and a UTF-8 encoding for every socket a publication reaches; the
 * gateway's fan-out writes frames encoded once to the channel instead (see {@link SocketWrites}
 * and {@link OutboundFrame}).
 * The endpoint, handshake, inbound frames and closing stay with WebSockets Next.
 *
 * <p>The Vert.x WebSocket is reachable only through the package-private
 * {@code WebSocketConnectionBase.webSocket()}, and Vert.x Web wraps it (to apply forwarded
 * headers) in a {@code ServerWebSocketWrapper} that keeps it in a private field. Both are looked
 * up once: a Quarkus or Vert.x upgrade that changes them fails the first connection (and every
 * gateway test) rather than a delivery.
 */
final class NettySockets {

    private static final MethodHandle WEB_SOCKET = accessor(WebSocketConnectionBase.class, "webSocket");
    private static final MethodHandle WRAPPED = accessor(ServerWebSocketWrapper.class, "delegate");

    private NettySockets() {
    }

    /**
     * The context of the connection's WebSocket frame encoder: a whole frame written from there
     * goes to the socket as it is, past the encoder. Frames that skip a compression extension are
     * still valid, sent uncompressed (RFC 7692 lets a sender choose per message), though the
     * gateway does not offer one today.
     */
    static ChannelHandlerContext frameEncoder(WebSocketConnection connection) {
        ChannelHandlerContext encoder = webSocket(connection).channelHandlerContext().pipeline()
                .context(WebSocketFrameEncoder.class);
        if (encoder == null) {
            throw new IllegalStateException("No WebSocket frame encoder under WebSocket connection " + connection.id());
        }
        return encoder;
    }

    /** Vert.x's own WebSocket under the connection, unwrapped. */
    static WebSocketInternal webSocket(WebSocketConnection connection) {
        try {
            Object socket = outer(connection);
            if (socket instanceof ServerWebSocketWrapper wrapper) {
                socket = WRAPPED.invoke(wrapper);
            }
            return (WebSocketInternal) socket;
        } catch (Throwable e) {
            throw new IllegalStateException("No Vert.x WebSocket under WebSocket connection " + connection.id(), e);
        }
    }

    /** The WebSocket WebSockets Next holds: Vert.x Web's wrapper when it applies forwarded headers, else Vert.x's own. */
    static Object outer(WebSocketConnection connection) {
        try {
            return WEB_SOCKET.invoke(connection);
        } catch (Throwable e) {
            throw new IllegalStateException("No Vert.x WebSocket under WebSocket connection " + connection.id(), e);
        }
    }

    /** A method without parameters, or else a field, that the class keeps to itself. */
    private static MethodHandle accessor(Class<?> owner, String name) {
        try {
            try {
                Method method = owner.getDeclaredMethod(name);
                method.setAccessible(true);
                return MethodHandles.lookup().unreflect(method);
            } catch (NoSuchMethodException notAMethod) {
                Field field = owner.getDeclaredField(name);
                field.setAccessible(true);
                return MethodHandles.lookup().unreflectGetter(field);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("This Quarkus WebSockets Next or Vert.x has no " + owner.getSimpleName()
                    + "." + name + ": " + e);
        }
    }
}
