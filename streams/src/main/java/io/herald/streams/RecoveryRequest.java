package io.herald.streams;

/**
 * A connection subscribed with {@code herald_recover}: it wants the channel's position and, when
 * it names the position it last saw ({@code since}), every event after it. The channel's router
 * answers in channel order, so the answer and the live events after it meet without a gap.
 *
 * @param since the last position the client saw, or null when it only wants the current one
 */
public record RecoveryRequest(String app, String channel, String gatewayId, String socketId, Position since)
        implements ShardEntry {
}
