package io.herald.contract;

import java.util.List;

/**
 * The webhook event types an app may ask for, by Pusher's names: PushApps list them in
 * {@code spec.webhooks[].eventTypes}, the operator checks them, gateways filter by them.
 */
public final class WebhookEventTypes {

    public static final String CHANNEL_OCCUPIED = "channel_occupied";
    public static final String CHANNEL_VACATED = "channel_vacated";
    public static final String MEMBER_ADDED = "member_added";
    public static final String MEMBER_REMOVED = "member_removed";
    public static final String CLIENT_EVENT = "client_event";
    public static final String CACHE_MISS = "cache_miss";
    /** Only for apps that count subscriptions ({@code subscriptionCount}). */
    public static final String SUBSCRIPTION_COUNT = "subscription_count";

    public static final List<String> ALL = List.of(CHANNEL_OCCUPIED, CHANNEL_VACATED, MEMBER_ADDED, MEMBER_REMOVED,
            CLIENT_EVENT, CACHE_MISS, SUBSCRIPTION_COUNT);

    private WebhookEventTypes() {
    }
}
