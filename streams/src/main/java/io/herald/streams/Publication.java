package io.herald.streams;

/**
 * One event published to one channel, by an app backend or, for client events, by a connection.
 *
 * @param data the event's data exactly as the publisher sent it; relayed byte for byte
 * @param excludedSocketId the connection that must not receive it (Pusher's {@code socket_id},
 *     or the sender of a client event), or null
 * @param userId for client events on presence channels, the sender's user id, which receivers
 *     see as {@code user_id}; otherwise null
 * @param retention what the channel keeps of it (history, archive); travels to the router only
 */
public record Publication(String app, String channel, String event, String data, String excludedSocketId, String userId,
        Retention retention) implements ShardEntry {

    public Publication {
        if (retention == null) {
            retention = Retention.NONE;
        }
    }

    /** A publication that nothing keeps. */
    public Publication(String app, String channel, String event, String data, String excludedSocketId, String userId) {
        this(app, channel, event, data, excludedSocketId, userId, Retention.NONE);
    }

    /** A publication without a sending user that nothing keeps. */
    public Publication(String app, String channel, String event, String data, String excludedSocketId) {
        this(app, channel, event, data, excludedSocketId, null, Retention.NONE);
    }

    public Publication withRetention(Retention kept) {
        return new Publication(app, channel, event, data, excludedSocketId, userId, kept);
    }
}
