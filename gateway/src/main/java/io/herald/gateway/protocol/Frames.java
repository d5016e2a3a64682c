package io.herald.gateway.protocol;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.herald.streams.Position;

/**
 * Builds the server-to-client frames of the Pusher protocol. Every frame carries {@code data} as
 * a JSON string ("double encoding"), never absent: pusher-java-client fails on a frame without it.
 */
public final class Frames {

    private Frames() {
    }

    /** A channel event; {@code data} is relayed exactly as the publisher sent it. */
    public static String event(String event, String channel, String data) {
        return event(event, channel, data, null);
    }

    /** A channel event with the sending user, as client events on presence channels carry. */
    public static String event(String event, String channel, String data, String userId) {
        return event(event, channel, data, userId, null);
    }

    /**
     * A channel event with its position in the channel, Herald's {@code herald} field, which
     * Pusher clients ignore and recovery helpers track.
     */
    public static String event(String event, String channel, String data, String userId, Position position) {
        StringBuilder frame = new StringBuilder(80 + event.length() + channel.length() + data.length() * 11 / 10);
        frame.append("{\"event\":");
        quote(frame, event);
        frame.append(",\"channel\":");
        quote(frame, channel);
        frame.append(",\"data\":");
        quote(frame, data);
        if (userId != null) {
            frame.append(",\"user_id\":");
            quote(frame, userId);
        }
        if (position != null) {
            appendPosition(frame, position).append('}');
        }
        return frame.append('}').toString();
    }

    /** {@code subscription_succeeded} for a subscription that asked for recovery: with the channel's position. */
    public static String subscriptionSucceeded(String channel, String data, Position position, boolean recovered) {
        StringBuilder frame = new StringBuilder(event("pusher_internal:subscription_succeeded", channel, data));
        frame.setLength(frame.length() - 1);
        appendPosition(frame, position).append(",\"recovered\":").append(recovered).append('}');
        return frame.append('}').toString();
    }

    private static StringBuilder appendPosition(StringBuilder frame, Position position) {
        frame.append(",\"herald\":{\"epoch\":");
        quote(frame, position.epoch());
        return frame.append(",\"offset\":").append(position.offset());
    }

    public static String connectionEstablished(String socketId, int activityTimeoutSeconds) {
        return "{\"event\":\"pusher:connection_established\",\"data\":"
                + quote("{\"socket_id\":\"" + socketId + "\",\"activity_timeout\":" + activityTimeoutSeconds + "}") + "}";
    }

    public static String subscriptionSucceeded(String channel) {
        return event("pusher_internal:subscription_succeeded", channel, "{}");
    }

    /** An event addressed to the connection rather than to a channel, like watchlist events. */
    public static String withoutChannel(String event, String data) {
        StringBuilder frame = new StringBuilder("{\"event\":");
        quote(frame, event);
        frame.append(",\"data\":");
        quote(frame, data);
        return frame.append('}').toString();
    }

    /** The answer to a good {@code pusher:signin}: the user_data string it was given. */
    public static String signinSuccess(String userData) {
        StringBuilder data = new StringBuilder("{\"user_data\":");
        quote(data, userData);
        data.append('}');
        return "{\"event\":\"pusher:signin_success\",\"data\":" + quote(data.toString()) + "}";
    }

    public static String ping() {
        return "{\"event\":\"pusher:ping\",\"data\":\"{}\"}";
    }

    public static String pong() {
        return "{\"event\":\"pusher:pong\",\"data\":\"{}\"}";
    }

    /** A {@code pusher:error}; a null code is what Pusher sends for errors that close nothing. */
    public static String error(Integer code, String message) {
        StringBuilder data = new StringBuilder("{\"code\":").append(code).append(",\"message\":");
        quote(data, message);
        data.append('}');
        return "{\"event\":\"pusher:error\",\"data\":" + quote(data.toString()) + "}";
    }

    /** A failed subscription, addressed to the channel so that client libraries route it there. */
    public static String subscriptionError(String channel, String type, String error, int status) {
        StringBuilder data = new StringBuilder("{\"type\":");
        quote(data, type);
        data.append(",\"error\":");
        quote(data, error);
        data.append(",\"status\":").append(status).append('}');
        return event("pusher:subscription_error", channel, data.toString());
    }

    private static String quote(String value) {
        return quote(new StringBuilder(value.length() + 8), value).toString();
    }

    private static StringBuilder quote(StringBuilder into, String value) {
        into.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, into);
        return into.append('"');
    }
}
