package io.herald.gateway.auth;

import io.herald.gateway.apps.App;

/**
 * Checks the {@code auth} of a private or presence subscription: {@code <key>:<hex HMAC-SHA256>}
 * over {@code socket_id:channel}, plus {@code :channel_data} for presence, exactly as received.
 */
public final class ChannelAuthorization {

    private ChannelAuthorization() {
    }

    /**
     * @param channelData the presence {@code channel_data} string as received, or null
     * @return why the subscription is refused, or null when the signature is right
     */
    public static String problemWith(App app, String socketId, String channel, String auth, String channelData) {
        if (auth == null || auth.isEmpty()) {
            return "Subscribing to " + channel + " needs an auth signature from your auth endpoint";
        }
        int colon = auth.indexOf(':');
        if (colon < 0 || !Signatures.constantTimeEquals(app.key(), auth.substring(0, colon))) {
            return "Invalid key in auth: expected '" + app.key() + ":<signature>'";
        }
        String toSign = socketId + ":" + channel + (channelData == null ? "" : ":" + channelData);
        String expected = Signatures.hmacSha256Hex(app.secret(), toSign);
        if (!Signatures.constantTimeEquals(expected, auth.substring(colon + 1))) {
            return "Invalid signature: Expected HMAC SHA256 hex digest of " + toSign + ", but got " + auth.substring(colon + 1);
        }
        return null;
    }
}
