package io.herald.streams;

/** What a router puts in a gateway's inbox. */
public sealed interface InboxEntry permits Delivery, PresenceAnswer, CacheAnswer, RecoveryAnswer {
}
