package io.herald.gateway.protocol;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;

/**
 * The SockJS-style framing of pusher-js's HTTP transports, one frame a line: {@code o} opens the
 * session, {@code a[...]} carries Pusher frames (each a JSON string), {@code h} is a heartbeat and
 * {@code c[code,"reason"]} closes the session with a Pusher close code. A send request's body is
 * a JSON array of Pusher frames as strings; {@code []} is pusher-js's ping.
 */
final class XhrFrames {

    static final String OPEN = "o\n";
    static final String HEARTBEAT = "h\n";

    private XhrFrames() {
    }

    /** Pusher frames (JSON texts) as one {@code a} line; nothing for no frames. */
    static String messages(List<String> frames) {
        if (frames.isEmpty()) {
            return "";
        }
        StringBuilder line = new StringBuilder(frames.stream().mapToInt(String::length).sum() * 11 / 10 + 4).append("a[");
        for (int i = 0; i < frames.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            quote(line, frames.get(i));
        }
        return line.append("]\n").toString();
    }

    static String close(int code, String reason) {
        StringBuilder line = new StringBuilder("c[").append(code).append(',');
        return quote(line, reason == null ? "" : reason).append("]\n").toString();
    }

    /**
     * The Pusher frames of a send request's body.
     *
     * @throws IllegalArgumentException saying what is wrong with the body
     */
    static List<String> sent(String body) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("Payload expected: a JSON array of frames as strings");
        }
        JsonArray array;
        try {
            array = new JsonArray(body);
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("Broken JSON encoding: expected a JSON array of frames as strings");
        }
        List<String> frames = new ArrayList<>(array.size());
        for (Object frame : array) {
            if (!(frame instanceof String text)) {
                throw new IllegalArgumentException("Each element must be a frame as a JSON string");
            }
            frames.add(text);
        }
        return frames;
    }

    private static StringBuilder quote(StringBuilder into, String value) {
        into.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, into);
        return into.append('"');
    }
}
