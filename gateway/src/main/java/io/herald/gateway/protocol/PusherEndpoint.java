package io.herald.gateway.protocol;

import java.util.Optional;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.herald.gateway.apps.App;
import io.herald.gateway.apps.AppRegistry;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;

/**
 * The Pusher Channels WebSocket endpoint, {@code /app/{key}}, protocol versions 5 to 7. Inbound
 * frames of one connection are handled one at a time on its event loop; nothing here blocks. Since
 * every callback runs to its end on that one thread (the handshake's write is issued before the
 * loop handles anything else), frames keep their order without WebSockets Next's serial mode, whose queue held about
 * 1.3 KB of every idle connection's heap (docs/performance.md, "Memory per idle connection"). Who
 * may connect ({@link Admission}) and what a frame asks for ({@link InboundFrames}) are shared with
 * the HTTP transports ({@link XhrTransports}).
 */
@WebSocket(path = "/app/{key}", inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class PusherEndpoint {

    private static final Logger LOG = Logger.getLogger(PusherEndpoint.class);

    @Inject
    AppRegistry apps;

    @Inject
    Connections connections;

    @Inject
    Admission admission;

    @Inject
    InboundFrames inbound;

    @ConfigProperty(name = "quarkus.websockets-next.server.max-message-size")
    int maxFrameBytes;

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection socket) {
        Optional<App> app = apps.byKey(socket.pathParam("key"));
        String address = AddressLimit.hostOf(socket.handshakeRequest().remoteAddress());
        Admission.Refusal refusal = admission.refusal(app, socket.handshakeRequest().query(), address);
        if (refusal != null) {
            return refuse(socket, refusal);
        }
        PusherConnection connection = admission.connection(socket, app.get(), address);
        refusal = admission.register(socket.id(), connection);
        if (refusal != null) {
            return refuse(socket, refusal);
        }
        UpgradeLeftovers.drop(socket);
        return socket.sendText(admission.handshake(connection));
    }

    @OnTextMessage
    @NonBlocking
    public void onText(WebSocketConnection socket, String text) {
        connections.get(socket.id()).ifPresent(connection -> inbound.handle(connection, text));
    }

    @OnPongMessage
    @NonBlocking
    public void onPong(WebSocketConnection socket, Buffer ignored) {
        connections.get(socket.id()).ifPresent(connection -> connection.heard(System.currentTimeMillis()));
    }

    @OnBinaryMessage
    @NonBlocking
    public void onBinary(WebSocketConnection socket, Buffer ignored) {
        connections.get(socket.id()).ifPresent(connection -> connection.send(
                Frames.error(null, "Binary frames are not part of the Pusher protocol; send JSON text frames")));
    }

    /**
     * A frame over the size limit cannot be read past: the connection is told why and closed
     * with 1009, the WebSocket code for a message too big. A client that went away needs nothing.
     * Any other failure is Herald's own, not the client's: it is logged as an error, the client is
     * told its frame was not applied, and the connection stays. Nobody else notices either.
     */
    @OnError
    public Uni<Void> onError(WebSocketConnection socket, Throwable failure) {
        if (isTooBig(failure)) {
            String reason = "Frame larger than " + maxFrameBytes + " bytes";
            return socket.sendText(Frames.error(null, reason)).chain(() -> socket.close(new CloseReason(1009, reason)));
        }
        Optional<PusherConnection> connection = connections.get(socket.id());
        if (failure instanceof HttpClosedException) {
            LOG.debugf("%s went away: %s", connection.map(PusherConnection::socketId).orElse(socket.id()), failure.getMessage());
            return Uni.createFrom().voidItem();
        }
        LOG.errorf(failure, "Handling a frame from %s failed", connection.map(PusherConnection::socketId).orElse(socket.id()));
        connection.ifPresent(open -> open.send(Frames.error(null, "Internal error: the frame was not applied")));
        return Uni.createFrom().voidItem();
    }

    /**
     * Vert.x reports a message whose fragments add up past the limit as an IllegalStateException
     * saying so, and Netty a single frame past it as a corrupted frame whose close status is 1009;
     * neither has a type of its own.
     */
    static boolean isTooBig(Throwable failure) {
        if (failure instanceof CorruptedWebSocketFrameException corrupted) {
            return corrupted.closeStatus() != null && corrupted.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
        }
        return failure instanceof IllegalStateException && failure.getMessage() != null
                && failure.getMessage().contains("overflow max message size");
    }

    @OnClose
    @NonBlocking
    public void onClose(WebSocketConnection socket) {
        CloseReason reason = socket.closeReason();
        // Vert.x reports a peer that vanished without a close frame as 1005; 1006 if it gives no reason at all.
        admission.closed(socket.id(), reason == null ? 1006 : reason.getCode());
    }

    private static Uni<Void> refuse(WebSocketConnection socket, Admission.Refusal refusal) {
        return socket.sendText(Frames.error(refusal.code(), refusal.message()))
                .chain(() -> socket.close(new CloseReason(refusal.code(), refusal.message())));
    }
}
