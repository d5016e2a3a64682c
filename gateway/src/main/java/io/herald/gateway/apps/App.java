package io.herald.gateway.apps;

/** A tenant of the cluster: Pusher's app id, key and secret. */
public record App(String id, String key, String secret) {

    @Override
    public String toString() {
        return "App[id=" + id + ", key=" + key + "]";
    }
}
