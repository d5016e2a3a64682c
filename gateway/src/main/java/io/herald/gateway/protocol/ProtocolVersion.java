package io.herald.gateway.protocol;

import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Which Pusher protocol versions a client may announce. pusher-java-client still says 5,
 * pusher-js says 7; the differences do not matter to a server that always sends the v7 handshake.
 */
final class ProtocolVersion {

    static final int OLDEST = 5;
    static final int NEWEST = 7;

    private ProtocolVersion() {
    }

    /** @return why the handshake's protocol is refused, or null; a missing one is taken as the newest */
    static String problemWith(String rawQuery) {
        var values = new QueryStringDecoder(rawQuery == null ? "" : rawQuery, false).parameters().get("protocol");
        if (values == null || values.isEmpty()) {
            return null;
        }
        try {
            int version = Integer.parseInt(values.get(0));
            if (version >= OLDEST && version <= NEWEST) {
                return null;
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal
        }
        return "Unsupported protocol version '" + values.get(0) + "': Herald speaks " + OLDEST + " to " + NEWEST;
    }
}
