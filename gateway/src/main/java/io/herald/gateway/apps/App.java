package io.herald.gateway.apps;

/**
 * A tenant of the cluster: Pusher's app id, key and secret, and what it allows.
 *
 * @param clientEvents whether connections may send {@code client-} events on private and presence channels
 * @param userAuthentication whether every connection must sign in ({@code pusher:signin}) within the
 *        sign-in timeout, Pusher's "authorized connections"
 * @param maxConnections how many connections the app may hold across the cluster; 0 or less for no limit
 */
public record App(String id, String key, String secret, boolean clientEvents, boolean userAuthentication,
        int maxConnections) {

    public boolean limitsConnections() {
        return maxConnections > 0;
    }

    @Override
    public String toString() {
        return "App[id=" + id + ", key=" + key + "]";
    }
}
