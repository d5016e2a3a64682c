package io.herald.streams;

/**
 * A connection joined a presence channel as a user. The channel's router decides, in channel
 * order, whether this is the user's first connection there (then the others hear
 * {@code member_added}) and answers the connection with the member list.
 *
 * @param userInfo the member's {@code user_info} as JSON, or null
 * @param rejoin a connection that was a member already, announced again because Redis lost the
 *     channel's presence: the router records it without an answer or a {@code member_added},
 *     since the connection and its peers already know it
 */
public record PresenceJoin(String app, String channel, String gatewayId, String socketId, String userId, String userInfo,
        boolean rejoin) implements ShardEntry {

    public PresenceJoin(String app, String channel, String gatewayId, String socketId, String userId, String userInfo) {
        this(app, channel, gatewayId, socketId, userId, userInfo, false);
    }
}
