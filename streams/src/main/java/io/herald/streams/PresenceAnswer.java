package io.herald.streams;

/**
 * The router's answer to a {@link PresenceJoin}, addressed to the joining connection through its
 * gateway's inbox: the member list to send with {@code subscription_succeeded}, or why the
 * subscription is refused.
 *
 * @param members the {@code {"presence":{"ids":..,"hash":..,"count":..}}} JSON, or null when refused
 * @param refusal why the join was refused, or null
 */
public record PresenceAnswer(String app, String channel, String socketId, String members, String refusal)
        implements InboxEntry {
}
