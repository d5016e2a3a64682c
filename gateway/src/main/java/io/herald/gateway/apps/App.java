package io.herald.gateway.apps;

import java.util.List;

/**
 * A tenant of the cluster: Pusher's app id, key and secret, and what it allows.
 *
 * @param clientEvents whether connections may send {@code client-} events on private and presence channels
 * @param userAuthentication whether every connection must sign in ({@code pusher:signin}) within the
 *        sign-in timeout, Pusher's "authorized connections"
 * @param maxConnections how many connections the app may hold across the cluster; 0 or less for no limit
 * @param maxChannelsPerConnection how many channels one connection may hold; 0 or less for the gateway's default
 * @param subscribesPerSecond how many subscriptions one connection may make per second once its burst
 *        is spent; 0 or less for the gateway's default
 * @param rules what the app's channels keep: history and archive
 * @param webhooks where the app's webhooks go; empty for none
 * @param subscriptionCount whether subscribers of its non-presence channels hear how many they are
 *        ({@code pusher_internal:subscription_count}), Pusher's "subscription counting"
 */
public record App(String id, String key, String secret, boolean clientEvents, boolean userAuthentication,
        int maxConnections, int maxChannelsPerConnection, int subscribesPerSecond, ChannelRules rules,
        List<Webhook> webhooks, boolean subscriptionCount) {

    public App {
        if (rules == null) {
            rules = ChannelRules.NONE;
        }
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    }

    /** An app that does not count subscriptions. */
    public App(String id, String key, String secret, boolean clientEvents, boolean userAuthentication,
            int maxConnections, int maxChannelsPerConnection, int subscribesPerSecond, ChannelRules rules,
            List<Webhook> webhooks) {
        this(id, key, secret, clientEvents, userAuthentication, maxConnections, maxChannelsPerConnection,
                subscribesPerSecond, rules, webhooks, false);
    }

    /** An app without webhooks. */
    public App(String id, String key, String secret, boolean clientEvents, boolean userAuthentication,
            int maxConnections, int maxChannelsPerConnection, int subscribesPerSecond, ChannelRules rules) {
        this(id, key, secret, clientEvents, userAuthentication, maxConnections, maxChannelsPerConnection,
                subscribesPerSecond, rules, List.of());
    }

    /** An app whose channels keep the cluster's defaults. */
    public App(String id, String key, String secret, boolean clientEvents, boolean userAuthentication,
            int maxConnections, int maxChannelsPerConnection, int subscribesPerSecond) {
        this(id, key, secret, clientEvents, userAuthentication, maxConnections, maxChannelsPerConnection,
                subscribesPerSecond, ChannelRules.NONE);
    }

    /** An app that takes the gateway's default channel and subscribe limits. */
    public App(String id, String key, String secret, boolean clientEvents, boolean userAuthentication, int maxConnections) {
        this(id, key, secret, clientEvents, userAuthentication, maxConnections, 0, 0);
    }

    /** Whether some webhook of the app wants events of this type on this channel. */
    public boolean wantsWebhook(String eventType, String channel) {
        return webhooks.stream().anyMatch(webhook -> webhook.wants(eventType, channel));
    }

    public boolean limitsConnections() {
        return maxConnections > 0;
    }

    @Override
    public String toString() {
        return "App[id=" + id + ", key=" + key + "]";
    }
}
