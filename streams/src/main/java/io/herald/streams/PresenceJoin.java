package io.herald.streams;

/**
 * A connection joined a presence channel as a user. The channel's router decides, in channel
 * order, whether this is the user's first connection there (then the others hear
 * {@code member_added}) and answers the connection with the member list.
 *
 * @param userInfo the member's {@code user_info} as JSON, or null
 */
public record PresenceJoin(String app, String channel, String gatewayId, String socketId, String userId, String userInfo)
        implements ShardEntry {
}
