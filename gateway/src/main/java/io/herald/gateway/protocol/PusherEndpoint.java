package io.herald.gateway.protocol;

import java.util.Optional;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.herald.gateway.GatewayMetrics;
import io.herald.gateway.fanout.InboxReader;
import io.herald.gateway.apps.App;
import io.herald.gateway.apps.AppRegistry;
import io.herald.gateway.console.ConsoleFeed;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.quarkus.websockets.next.CloseReason;
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
import io.vertx.core.json.JsonObject;

/**
 * The Pusher Channels WebSocket endpoint, {@code /app/{key}}, protocol versions 5 to 7. Inbound
 * frames of one connection are handled one at a time on its event loop; nothing here blocks.
 */
@WebSocket(path = "/app/{key}")
public class PusherEndpoint {

    private static final Logger LOG = Logger.getLogger(PusherEndpoint.class);

    @Inject
    AppRegistry apps;

    @Inject
    SocketIds socketIds;

    @Inject
    Connections connections;

    @Inject
    ChannelSubscriptions channels;

    @Inject
    ClientEvents clientEvents;

    @Inject
    UserSignin signin;

    @Inject
    Acknowledgements acknowledgements;

    @Inject
    ConnectionQuota quota;

    @Inject
    MembershipGuard membership;

    @Inject
    Drain drain;

    @Inject
    GatewayCapacity capacity;

    @Inject
    InboxReader inbox;

    @Inject
    AddressLimit addressLimit;

    @Inject
    GatewayMetrics metrics;

    @Inject
    ConsoleFeed console;

    @ConfigProperty(name = "herald.activity-timeout-seconds", defaultValue = "120")
    int activityTimeoutSeconds;

    @ConfigProperty(name = "quarkus.websockets-next.server.max-message-size", defaultValue = "65536")
    int maxFrameBytes;

    /** Output a socket may have waiting before it counts as too slow (about bytes; 1 MiB). */
    @ConfigProperty(name = "herald.connection.max-queued-bytes", defaultValue = "1048576")
    long maxQueuedBytes;

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection socket) {
        Optional<App> app = apps.byKey(socket.pathParam("key"));
        if (app.isEmpty()) {
            return refuse(socket, CloseCodes.UNKNOWN_APP, "Application does not exist");
        }
        if (!membership.canServe()) {
            return refuse(socket, CloseCodes.RECONNECT, "This gateway is not a cluster member right now; reconnect");
        }
        String protocolProblem = ProtocolVersion.problemWith(socket.handshakeRequest().query());
        if (protocolProblem != null) {
            return refuse(socket, CloseCodes.UNSUPPORTED_PROTOCOL, protocolProblem);
        }
        if (!capacity.admitsAnother()) {
            return refuse(socket, CloseCodes.OVER_CAPACITY, "Gateway at capacity (" + capacity.maxConnections()
                    + " connections); reconnect later");
        }
        if (inbox.lag().overloaded()) {
            return refuse(socket, CloseCodes.OVER_CAPACITY, "Gateway overloaded: its deliveries are "
                    + inbox.lag().lagMillis() + " ms behind; reconnect later");
        }
        String address = AddressLimit.hostOf(socket.handshakeRequest().remoteAddress());
        if (!addressLimit.admitsAnother(address)) {
            return refuse(socket, CloseCodes.TOO_MANY_FROM_ADDRESS, "Too many connections from your address ("
                    + addressLimit.perAddress() + " per gateway); reconnect later");
        }
        if (!quota.admits(app.get())) {
            return refuse(socket, CloseCodes.OVER_QUOTA, "Over connection quota: the app may hold "
                    + app.get().maxConnections() + " connections");
        }
        PusherConnection connection = new PusherConnection(socket, app.get(), socketIds.next(), address, maxQueuedBytes,
                metrics);
        connections.add(socket.id(), connection);
        // Checked only once added: a drain or an app change that began meanwhile may have missed this connection.
        if (drain.isDraining()) {
            connections.remove(socket.id());
            return refuse(socket, CloseCodes.RECONNECT, "This gateway is shutting down; reconnect");
        }
        if (!apps.stillAdmits(app.get())) {
            connections.remove(socket.id());
            return refuse(socket, CloseCodes.UNKNOWN_APP, "Application does not exist");
        }
        metrics.connected(app.get().id());
        console.connected(app.get().id(), connection.socketId(), address);
        return socket.sendText(Frames.connectionEstablished(connection.socketId(), activityTimeoutSeconds));
    }

    @OnTextMessage
    @NonBlocking
    public void onText(WebSocketConnection socket, String text) {
        connections.get(socket.id()).ifPresent(connection -> {
            connection.heard(System.currentTimeMillis());
            handle(connection, text);
        });
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
        connections.remove(socket.id()).ifPresent(connection -> {
            CloseReason reason = socket.closeReason();
            // Vert.x reports a peer that vanished without a close frame as 1005; 1006 if it gives no reason at all.
            metrics.disconnected(reason == null ? 1006 : reason.getCode());
            console.disconnected(connection.app().id(), connection.socketId(), connection.remoteAddress(),
                    reason == null ? 1006 : reason.getCode());
            channels.unsubscribeAll(connection);
        });
    }

    private void handle(PusherConnection connection, String text) {
        JsonObject message;
        try {
            message = new JsonObject(text);
        } catch (RuntimeException e) {
            connection.send(Frames.error(null, "Malformed frame: expected a JSON object"));
            return;
        }
        if (!(message.getValue("event") instanceof String event)) {
            connection.send(Frames.error(null, "Malformed frame: 'event' must be a string"));
            return;
        }
        switch (event) {
            case "pusher:ping" -> connection.send(Frames.pong());
            case "pusher:pong" -> {
                // Any frame proves the peer alive; a pong needs no answer.
            }
            case "pusher:subscribe" -> channels.subscribe(connection, dataObject(message));
            case "pusher:unsubscribe" -> channels.unsubscribe(connection, dataObject(message));
            case "pusher:signin" -> signin.signIn(connection, dataObject(message));
            case Acknowledgements.EVENT -> acknowledgements.acknowledge(connection, dataObject(message));
            default -> {
                if (event.startsWith("client-")) {
                    clientEvents.relay(connection, event, message);
                } else {
                    connection.send(Frames.error(null, "Unsupported event '" + event + "'"));
                }
            }
        }
    }

    /** Clients send {@code data} of {@code pusher:} events as an object; some as a JSON string. */
    private static JsonObject dataObject(JsonObject message) {
        Object data = message.getValue("data");
        if (data instanceof JsonObject object) {
            return object;
        }
        if (data instanceof String string) {
            try {
                return new JsonObject(string);
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    private Uni<Void> refuse(WebSocketConnection socket, int code, String message) {
        metrics.refused(code);
        return socket.sendText(Frames.error(code, message))
                .chain(() -> socket.close(new CloseReason(code, message)));
    }
}
