package io.herald.streams;

/**
 * A gateway's number of connections subscribed to a channel changed, for an app that counts
 * subscriptions. It carries no number: the channel's router reads the cluster-wide count when it
 * routes the entry, after every change that preceded it, so the last count its subscribers hear is
 * the current one however the gateways' entries interleave.
 */
public record SubscriptionCountChange(String app, String channel) implements ShardEntry {
}
