package io.herald.streams;

/**
 * A gateway gained its first subscriber on a channel ({@code interested}) or lost its last one.
 * Travelling in the channel's shard stream keeps it ordered with the channel's publications: a
 * publication appended after a subscribe's interest change reaches that gateway.
 */
public record InterestChange(String app, String channel, String gatewayId, boolean interested)
        implements ShardEntry {
}
