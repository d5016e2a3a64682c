package io.herald.streams;

import java.util.Set;

import io.herald.contract.WebhookEventTypes;

/**
 * Something an app's webhooks may hear of, decided once in the cluster where it is true (the
 * channel's router for occupancy, members and cache misses; the sender's gateway for client
 * events) and appended to the cluster's webhook stream, which gateways read and send from.
 * Carries Pusher's event fields: {@code name} and {@code channel} always, {@code user_id} for
 * member events (and client events on presence channels), {@code event}, {@code data} and
 * {@code socket_id} for client events, {@code subscription_count} for subscription counts.
 */
public record WebhookFact(String app, String channel, String name, String userId, String event, String data,
        String socketId, Long subscriptionCount) {

    public static final String CHANNEL_OCCUPIED = WebhookEventTypes.CHANNEL_OCCUPIED;
    public static final String CHANNEL_VACATED = WebhookEventTypes.CHANNEL_VACATED;
    public static final String MEMBER_ADDED = WebhookEventTypes.MEMBER_ADDED;
    public static final String MEMBER_REMOVED = WebhookEventTypes.MEMBER_REMOVED;
    public static final String CLIENT_EVENT = WebhookEventTypes.CLIENT_EVENT;
    public static final String CACHE_MISS = WebhookEventTypes.CACHE_MISS;
    public static final String SUBSCRIPTION_COUNT = WebhookEventTypes.SUBSCRIPTION_COUNT;

    /** Every webhook event type Herald sends, as Pusher names them. */
    public static final Set<String> NAMES = Set.copyOf(WebhookEventTypes.ALL);

    public static WebhookFact occupancy(String app, String channel, boolean occupied) {
        return new WebhookFact(app, channel, occupied ? CHANNEL_OCCUPIED : CHANNEL_VACATED, null, null, null, null, null);
    }

    public static WebhookFact membership(String app, String channel, String userId, boolean added) {
        return new WebhookFact(app, channel, added ? MEMBER_ADDED : MEMBER_REMOVED, userId, null, null, null, null);
    }

    public static WebhookFact cacheMiss(String app, String channel) {
        return new WebhookFact(app, channel, CACHE_MISS, null, null, null, null, null);
    }

    /** @param userId the sender's user on presence channels, else null */
    public static WebhookFact clientEvent(String app, String channel, String event, String data, String socketId,
            String userId) {
        return new WebhookFact(app, channel, CLIENT_EVENT, userId, event, data, socketId, null);
    }

    /** The channel's cluster-wide number of subscribed connections, after it changed. */
    public static WebhookFact subscriptionCount(String app, String channel, long count) {
        return new WebhookFact(app, channel, SUBSCRIPTION_COUNT, null, null, null, null, count);
    }

    /** Herald's own channels ({@code #user-}, {@code #server-to-user-}) are nobody's business but Herald's. */
    public static boolean concerns(String channel) {
        return !channel.startsWith("#");
    }
}
