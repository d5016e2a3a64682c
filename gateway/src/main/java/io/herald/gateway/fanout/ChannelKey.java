package io.herald.gateway.fanout;

/** A channel of one app: channels of different apps never meet. */
public record ChannelKey(String app, String channel) {
}
