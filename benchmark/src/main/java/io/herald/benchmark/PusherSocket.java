package io.herald.benchmark;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * One client connection speaking the Pusher protocol by hand: connect, wait for
 * {@code pusher:connection_established}, subscribe to one channel, then hand every event frame to
 * a listener. Everything runs on the event loop that opened the socket.
 */
final class PusherSocket {

    /** RFC 6455's code for a connection that ended without a close frame (never sent on the wire). */
    static final int NO_CLOSE_FRAME = 1006;

    /** Receives the app events of every socket; called on the sockets' event loops, concurrently. */
    interface EventListener {
        void onEvent(String frame);

        /**
         * A socket was closed by the server or the network, not by the benchmark.
         *
         * @param closeCode the WebSocket close code, {@link PusherSocket#NO_CLOSE_FRAME} when the connection
         *     ended without one
         */
        default void onLost(int closeCode, String reason) {
        }

        /** A protocol frame other than the ones the socket handles itself, such as {@code pusher_internal:member_removed}. */
        default void onProtocolFrame(JsonObject frame) {
        }
    }

    private final ClientWebSocket socket;
    private final EventListener events;
    private final Promise<PusherSocket> established = Promise.promise();
    private final Map<String, Promise<Void>> subscriptions = new HashMap<>();
    private String socketId;
    private volatile boolean closing;

    private PusherSocket(ClientWebSocket socket, EventListener events) {
        this.socket = socket;
        this.events = events;
    }

    /**
     * Opens a connection to {@code ws://127.0.0.1:<port>/app/<key>}; completes once the server's
     * {@code connection_established} arrived. Call on the event loop that is to serve it.
     */
    static Future<PusherSocket> open(WebSocketClient client, int port, String appKey, EventListener events) {
        PusherSocket pusher = new PusherSocket(client.webSocket(), events);
        // Handlers go on before connecting, so the server's first frame cannot slip past them.
        pusher.socket.textMessageHandler(pusher::onText);
        pusher.socket.closeHandler(ignored -> pusher.onClose());
        pusher.socket.exceptionHandler(pusher::fail);
        pusher.socket.connect(new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(port)
                        .setURI("/app/" + appKey + "?protocol=7&client=bench&version=1"))
                .onFailure(pusher::fail);
        return pusher.established.future();
    }

    /**
     * Subscribes to a public channel; completes on its {@code pusher_internal:subscription_succeeded}.
     * Several subscriptions may be in flight at once. Call on the socket's event loop.
     */
    Future<Void> subscribe(String channel) {
        return send(channel, PusherFrames.subscribe(channel));
    }

    /**
     * Subscribes with more in the subscribe frame's data: what the app's auth endpoint answered
     * ({@code auth}, {@code channel_data}) for a private or presence channel, or Herald's {@code herald_recover}.
     */
    Future<Void> subscribe(String channel, JsonObject authorization) {
        return send(channel, PusherFrames.subscribe(channel, authorization));
    }

    private Future<Void> send(String channel, String frame) {
        Promise<Void> subscribed = Promise.promise();
        subscriptions.put(channel, subscribed);
        socket.writeTextMessage(frame).onFailure(this::fail);
        return subscribed.future();
    }

    String socketId() {
        return socketId;
    }

    Future<Void> close() {
        closing = true;
        return socket.close();
    }

    private void onText(String frame) {
        if (!PusherFrames.isProtocolFrame(frame)) {
            events.onEvent(frame);
            return;
        }
        JsonObject message = new JsonObject(frame);
        switch (message.getString("event", "")) {
            case "pusher:connection_established" -> {
                socketId = new JsonObject(message.getString("data")).getString("socket_id");
                established.tryComplete(this);
            }
            case "pusher_internal:subscription_succeeded" -> {
                Promise<Void> subscribed = subscriptions.remove(message.getString("channel", ""));
                if (subscribed != null) {
                    subscribed.tryComplete();
                }
                events.onProtocolFrame(message);
            }
            case "pusher:ping" -> socket.writeTextMessage(PusherFrames.pong());
            case "pusher:error", "pusher:subscription_error" -> fail(new IllegalStateException("server said " + frame));
            default -> events.onProtocolFrame(message);
        }
    }

    private void onClose() {
        Short code = socket.closeStatusCode();
        String reason = "closed by the server (" + code + " " + socket.closeReason() + ")";
        if (!closing) {
            events.onLost(code == null ? NO_CLOSE_FRAME : code, reason);
        }
        fail(new IllegalStateException(reason));
    }

    private void fail(Throwable failure) {
        established.tryFail(failure);
        List.copyOf(subscriptions.values()).forEach(subscribed -> subscribed.tryFail(failure));
        subscriptions.clear();
    }
}
