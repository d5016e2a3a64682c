package io.herald.streams;

/**
 * One event published to one channel.
 *
 * @param data the event's data exactly as the publisher sent it; relayed byte for byte
 * @param excludedSocketId the connection that must not receive it (Pusher's {@code socket_id}), or null
 */
public record Publication(String app, String channel, String event, String data, String excludedSocketId)
        implements ShardEntry {
}
