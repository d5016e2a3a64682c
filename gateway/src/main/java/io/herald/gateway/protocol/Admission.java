package io.herald.gateway.protocol;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.herald.gateway.GatewayConfig;
import io.herald.gateway.GatewayMetrics;
import io.herald.gateway.apps.App;
import io.herald.gateway.apps.AppRegistry;
import io.herald.gateway.console.ConsoleFeed;
import io.herald.gateway.fanout.InboxReader;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * Whether a new connection may open on this gateway, its registration, and its end: the same
 * rules (membership, protocol version, capacity, lag, per-address limit, app quota, drain) for a
 * WebSocket and for an HTTP session, so the transports cannot drift apart.
 */
@ApplicationScoped
class Admission {

    /** Why a connection is refused: the Pusher close code and the message sent with it. */
    public record Refusal(int code, String message) {
    }

    @Inject
    AppRegistry apps;

    @Inject
    Connections connections;

    @Inject
    ChannelSubscriptions channels;

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
    ConnectionQuota quota;

    @Inject
    ConsoleFeed console;

    @Inject
    GatewayMetrics metrics;

    @Inject
    SocketIds socketIds;

    @Inject
    GatewayConfig config;

    /**
     * @param query the raw query string of the opening request (it names the protocol version)
     * @param address the client's address, without the port
     * @return why a connection to the app may not open now, or null
     */
    Refusal refusal(Optional<App> app, String query, String address) {
        if (app.isEmpty()) {
            return refused(CloseCodes.UNKNOWN_APP, "Application does not exist");
        }
        if (!membership.canServe()) {
            return refused(CloseCodes.RECONNECT, "This gateway is not a cluster member right now; reconnect");
        }
        String protocolProblem = ProtocolVersion.problemWith(query);
        if (protocolProblem != null) {
            return refused(CloseCodes.UNSUPPORTED_PROTOCOL, protocolProblem);
        }
        if (!capacity.admitsAnother()) {
            return refused(CloseCodes.OVER_CAPACITY, "Gateway at capacity (" + capacity.maxConnections()
                    + " connections); reconnect later");
        }
        if (inbox.lag().overloaded()) {
            return refused(CloseCodes.OVER_CAPACITY, "Gateway overloaded: its deliveries are "
                    + inbox.lag().lagMillis() + " ms behind; reconnect later");
        }
        if (!addressLimit.admitsAnother(address)) {
            return refused(CloseCodes.TOO_MANY_FROM_ADDRESS, "Too many connections from your address ("
                    + addressLimit.perAddress() + " per gateway); reconnect later");
        }
        if (!quota.admits(app.get())) {
            return refused(CloseCodes.OVER_QUOTA, "Over connection quota: the app may hold "
                    + app.get().maxConnections() + " connections");
        }
        return null;
    }

    /** A connection over a WebSocket, with a new socket id. */
    PusherConnection connection(WebSocketConnection socket, App app, String address) {
        return new PusherConnection(socket, app, socketIds.next(), address, config.connection().maxQueuedBytes(), metrics);
    }

    /** A connection over an HTTP session, with a new socket id. */
    PusherConnection connection(XhrSession session, App app, String address) {
        return new PusherConnection(session, app, socketIds.next(), address, config.connection().maxQueuedBytes(), metrics);
    }

    /** The first frame of an admitted connection. */
    String handshake(PusherConnection connection) {
        return Frames.connectionEstablished(connection.socketId(), config.activityTimeoutSeconds());
    }

    /** Counts the connection as open, unless a drain or an app change began meanwhile: then it is refused. */
    Refusal register(String id, PusherConnection connection) {
        connections.add(id, connection);
        // Checked only once added: a drain or an app change that began meanwhile may have missed this connection.
        if (drain.isDraining()) {
            connections.remove(id);
            return refused(CloseCodes.RECONNECT, "This gateway is shutting down; reconnect");
        }
        if (!apps.stillAdmits(connection.app())) {
            connections.remove(id);
            return refused(CloseCodes.UNKNOWN_APP, "Application does not exist");
        }
        metrics.connected(connection.app().id());
        console.connected(connection.app().id(), connection.socketId(), connection.remoteAddress());
        return null;
    }

    /** The connection is gone (closed by either side with the code): its subscriptions and presence go too. */
    void closed(String id, int code) {
        connections.remove(id).ifPresent(connection -> {
            metrics.disconnected(code);
            console.disconnected(connection.app().id(), connection.socketId(), connection.remoteAddress(), code);
            channels.unsubscribeAll(connection);
        });
    }

    private Refusal refused(int code, String message) {
        metrics.refused(code);
        return new Refusal(code, message);
    }
}
