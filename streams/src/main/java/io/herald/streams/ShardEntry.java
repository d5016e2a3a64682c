package io.herald.streams;

/** What a gateway appends to a shard stream: a publication, or a change of its interest in a channel. */
public sealed interface ShardEntry permits Publication, InterestChange {

    String app();

    String channel();
}
