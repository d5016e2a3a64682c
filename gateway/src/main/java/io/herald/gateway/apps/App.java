package io.herald.gateway.apps;

/**
 * A tenant of the cluster: Pusher's app id, key and secret, and what it allows.
 *
 * @param clientEvents whether connections may send {@code client-} events on private and presence channels
 * @param maxConnections how many connections the app may hold across the cluster; 0 or less for no limit
 */
public record App(String id, String key, String secret, boolean clientEvents, int maxConnections) {

    public boolean limitsConnections() {
        return maxConnections > 0;
    }

    @Override
    public String toString() {
        return "App[id=" + id + ", key=" + key + "]";
    }
}
