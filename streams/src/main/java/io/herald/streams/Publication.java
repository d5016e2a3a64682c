package io.herald.streams;

/**
 * One event published to one channel, by an app backend or, for client events, by a connection.
 *
 * @param data the event's data exactly as the publisher sent it; relayed byte for byte
 * @param excludedSocketId the connection that must not receive it (Pusher's {@code socket_id},
 *     or the sender of a client event), or null
 * @param userId for client events on presence channels, the sender's user id, which receivers
 *     see as {@code user_id}; otherwise null
 */
public record Publication(String app, String channel, String event, String data, String excludedSocketId, String userId)
        implements ShardEntry {

    /** A publication without a sending user: what app backends publish. */
    public Publication(String app, String channel, String event, String data, String excludedSocketId) {
        this(app, channel, event, data, excludedSocketId, null);
    }
}
