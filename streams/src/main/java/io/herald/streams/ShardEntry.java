package io.herald.streams;

/**
 * What a gateway appends to a shard stream: a publication, a change of its interest in a
 * channel, or a connection joining or leaving a presence channel.
 */
public sealed interface ShardEntry permits Publication, InterestChange, PresenceJoin, PresenceLeave {

    String app();

    String channel();
}
