package io.herald.streams;

/**
 * A connection left a presence channel (unsubscribed, disconnected, or its gateway died). When it
 * was the user's last connection there, the others hear {@code member_removed}.
 */
public record PresenceLeave(String app, String channel, String gatewayId, String socketId) implements ShardEntry {
}
