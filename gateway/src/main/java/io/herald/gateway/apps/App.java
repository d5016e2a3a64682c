package io.herald.gateway.apps;

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
 */
public record App(String id, String key, String secret, boolean clientEvents, boolean userAuthentication,
        int maxConnections, int maxChannelsPerConnection, int subscribesPerSecond, ChannelRules rules) {

    public App {
        if (rules == null) {
            rules = ChannelRules.NONE;
        }
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

    public boolean limitsConnections() {
        return maxConnections > 0;
    }

    @Override
    public String toString() {
        return "App[id=" + id + ", key=" + key + "]";
    }
}
