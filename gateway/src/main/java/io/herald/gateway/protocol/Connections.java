package io.herald.gateway.protocol;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.herald.gateway.GatewayMetrics;

import io.herald.membership.ConnectionCount;

/** The Pusher connections open on this gateway, by WebSocket connection id. */
@ApplicationScoped
public class Connections implements ConnectionCount {

    @Inject
    GatewayMetrics metrics;

    private final Map<String, PusherConnection> open = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> openByApp = new ConcurrentHashMap<>();

    /** Only addresses with open connections are kept, so the map does not grow with every client ever seen. */
    private final Map<String, Integer> openByAddress = new ConcurrentHashMap<>();

    void add(String webSocketId, PusherConnection connection) {
        open.put(webSocketId, connection);
        openByApp.computeIfAbsent(connection.app().id(), app -> {
            AtomicInteger count = new AtomicInteger();
            metrics.connections(app, count);
            return count;
        }).incrementAndGet();
        openByAddress.merge(connection.remoteAddress(), 1, Integer::sum);
    }

    Optional<PusherConnection> remove(String webSocketId) {
        PusherConnection removed = open.remove(webSocketId);
        if (removed != null) {
            openByApp.get(removed.app().id()).decrementAndGet();
            openByAddress.computeIfPresent(removed.remoteAddress(), (address, count) -> count > 1 ? count - 1 : null);
        }
        return Optional.ofNullable(removed);
    }

    /** Open connections per app on this gateway. */
    Map<String, Integer> countsByApp() {
        Map<String, Integer> counts = new java.util.HashMap<>();
        openByApp.forEach((app, count) -> counts.put(app, count.get()));
        return counts;
    }

    int count(String appId) {
        AtomicInteger count = openByApp.get(appId);
        return count == null ? 0 : count.get();
    }

    /** Open connections from one remote address on this gateway. */
    int countFrom(String address) {
        return openByAddress.getOrDefault(address, 0);
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
