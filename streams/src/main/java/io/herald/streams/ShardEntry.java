package io.herald.streams;

/**
 * What a gateway appends to a shard stream: a publication, a change of its interest in a
 * channel, a connection joining or leaving a presence channel, or asking for a cache channel's
 * last event,
 * or asking to recover what a connection missed, or a user's persistent subscription changing,
 * or its number of subscribers to a channel changing.
 */
public sealed interface ShardEntry permits Publication, InterestChange, PresenceJoin, PresenceLeave, CacheRequest,
        RecoveryRequest, PersistentSubscription, SubscriptionCountChange {

    String app();

    String channel();
}
