package io.herald.streams;

/**
 * The router's answer to a {@link CacheRequest}, addressed to the connection through its
 * gateway's inbox: the channel's last event, or none ({@code event} null: a cache miss).
 */
public record CacheAnswer(String app, String channel, String socketId, String event, String data) implements InboxEntry {
}
