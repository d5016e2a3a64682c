package io.herald.gateway.apps;

/**
 * A tenant of the cluster: Pusher's app id, key and secret, and what it allows.
 *
 * @param clientEvents whether connections may send {@code client-} events on private and presence channels
 */
public record App(String id, String key, String secret, boolean clientEvents) {

    @Override
    public String toString() {
        return "App[id=" + id + ", key=" + key + "]";
    }
}
