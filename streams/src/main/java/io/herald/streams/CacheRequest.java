package io.herald.streams;

/**
 * A connection subscribed to a cache channel and wants the channel's last event. The channel's
 * router answers in channel order, so the connection gets exactly the events after it.
 */
public record CacheRequest(String app, String channel, String gatewayId, String socketId) implements ShardEntry {
}
