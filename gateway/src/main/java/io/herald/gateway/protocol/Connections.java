package io.herald.gateway.protocol;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/** The Pusher connections open on this gateway, by WebSocket connection id. */
@ApplicationScoped
public class Connections {

    private final Map<String, PusherConnection> open = new ConcurrentHashMap<>();

    void add(String webSocketId, PusherConnection connection) {
        open.put(webSocketId, connection);
    }

    Optional<PusherConnection> remove(String webSocketId) {
        return Optional.ofNullable(open.remove(webSocketId));
    }

    Optional<PusherConnection> get(String webSocketId) {
        return Optional.ofNullable(open.get(webSocketId));
    }

    public int count() {
        return open.size();
    }
}
