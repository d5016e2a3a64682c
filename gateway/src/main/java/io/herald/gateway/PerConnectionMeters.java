package io.herald.gateway;

import java.util.Set;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Turns off the two meters of Quarkus's HTTP server metrics that keep an object per open
 * connection: the long-task timers {@code http.server.connections} and
 * {@code http.server.websocket.connections}. Each holds a sample for every connection for its
 * whole life, about 130 B of heap apiece, and drops it with a linear search of all open samples;
 * at 15,000 idle WebSockets the two were 5 % of a connection's live heap (docs/performance.md,
 * "What an idle connection still holds"). What they told is told cheaper elsewhere: the open
 * connections by {@code herald_gateway_connections} and {@code http_server_active_connections},
 * their ends by {@code herald_gateway_disconnects_total}. The request timers stay.
 */
@Singleton
public class PerConnectionMeters {

    static final Set<String> DENIED = Set.of("http.server.connections", "http.server.websocket.connections");

    @Produces
    @Singleton
    MeterFilter denyPerConnectionTimers() {
        return MeterFilter.deny(id -> DENIED.contains(id.getName()));
    }
}
