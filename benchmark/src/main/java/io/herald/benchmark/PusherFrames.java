package io.herald.benchmark;

/**
 * The few Pusher protocol frames the load generator sends, and cheap reading of the ones it
 * receives. Event frames arrive tens of thousands of times a second, so they are not parsed as
 * JSON: the publish time is read straight out of the text.
 *
 * <p>Event data is {@code {"sent":<System.nanoTime() at publish>,"pad":"xxx..."}}. The gateway
 * relays it as a JSON string, so inside the frame it reads {@code "data":"{\"sent\":123,...}"}.
 */
final class PusherFrames {

    static final String EVENT_NAME = "bench";
    /** What {@link #sentNanos} answers for a frame without a publish time (nanoTime may be negative). */
    static final long NO_TIME = Long.MIN_VALUE;
    private static final String SENT_MARKER = "\\\"sent\\\":";

    private PusherFrames() {
    }

    /** Channel names are generated here ({@code bench-0}, ...), so they need no JSON escaping. */
    static String subscribe(String channel) {
        return "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}";
    }

    /**
     * A subscription with more data: the app's signature for a private or presence channel
     * ({@code auth}, and {@code channel_data} for presence), or Herald's {@code herald_recover}.
     */
    static String subscribe(String channel, io.vertx.core.json.JsonObject authorization) {
        return new io.vertx.core.json.JsonObject().put("event", "pusher:subscribe")
                .put("data", authorization.copy().put("channel", channel)).encode();
    }

    static String pong() {
        return "{\"event\":\"pusher:pong\",\"data\":{}}";
    }

    /** Frames of the protocol itself ({@code pusher:...}, {@code pusher_internal:...}) as opposed to app events. */
    static boolean isProtocolFrame(String frame) {
        return frame.startsWith("{\"event\":\"pusher");
    }

    /** The event data to publish: the publish time, padded with 'x' to at least {@code size} characters. */
    static String eventData(long sentNanos, int size) {
        return paddedData("\"sent\":" + sentNanos, size);
    }

    /**
     * Event data {@code {<fields>,"pad":"xxx..."}}, padded with 'x' to at least {@code size}
     * characters, so every scenario publishes events of the size it names.
     */
    static String paddedData(String fields, int size) {
        StringBuilder data = new StringBuilder(Math.max(size, 48)).append('{').append(fields).append(",\"pad\":\"");
        while (data.length() < size - 2) {
            data.append('x');
        }
        return data.append("\"}").toString();
    }

    /** The publish time carried by an event frame, or {@link #NO_TIME}. */
    static long sentNanos(String frame) {
        int at = frame.indexOf(SENT_MARKER);
        if (at < 0) {
            return NO_TIME;
        }
        int i = at + SENT_MARKER.length();
        boolean negative = i < frame.length() && frame.charAt(i) == '-';
        if (negative) {
            i++;
        }
        long value = 0;
        int digits = 0;
        for (; i < frame.length(); i++, digits++) {
            char c = frame.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        if (digits == 0) {
            return NO_TIME;
        }
        // System.nanoTime() may be negative: its origin is arbitrary.
        return negative ? -value : value;
    }
}
