package io.herald.gateway.protocol;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.vertx.core.json.JsonObject;

/**
 * What a client's frame asks for, whichever transport brought it (a WebSocket text frame or an
 * element of an HTTP session's send request). A connection's frames are handed here one at a
 * time, in the order the client sent them; nothing here blocks.
 */
@ApplicationScoped
class InboundFrames {

    @Inject
    ChannelSubscriptions channels;

    @Inject
    ClientEvents clientEvents;

    @Inject
    UserSignin signin;

    @Inject
    Acknowledgements acknowledgements;

    /** A frame from the client, which proves it alive. */
    void handle(PusherConnection connection, String text) {
        connection.heard(System.currentTimeMillis());
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
}
