package io.herald.streams;

/** Pusher's cache channels: the server keeps their last event and replays it to new subscribers. */
public final class CacheChannels {

    private CacheChannels() {
    }

    public static boolean isCache(String channel) {
        return channel.startsWith("cache-") || channel.startsWith("private-cache-")
                || channel.startsWith("private-encrypted-cache-") || channel.startsWith("presence-cache-");
    }
}
