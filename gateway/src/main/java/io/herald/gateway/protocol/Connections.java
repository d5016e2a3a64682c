package io.herald.gateway.protocol;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.herald.membership.ConnectionCount;

/** The Pusher connections open on this gateway, by WebSocket connection id. */
@ApplicationScoped
public class Connections implements ConnectionCount {

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

    @Override
    public int connections() {
        return count();
    }

    Iterable<PusherConnection> all() {
        return open.values();
    }

    /** Closes every connection with the given Pusher close code. */
    public void closeAll(int code, String reason) {
        open.values().forEach(connection -> connection.close(code, reason));
    }
}
