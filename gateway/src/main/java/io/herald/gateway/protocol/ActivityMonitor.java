package io.herald.gateway.protocol;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.herald.gateway.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Finds dead peers, as Pusher does: a connection silent for the activity timeout gets a
 * {@code pusher:ping}; one still silent a grace period later is closed with 4201, so that a client
 * whose network vanished does not hold a socket forever. One sweep over all connections every few
 * seconds, no timer per connection.
 */
@ApplicationScoped
public class ActivityMonitor {

    @Inject
    Connections connections;

    @Inject
    Vertx vertx;

    @Inject
    GatewayConfig config;

    private long timer;

    void start(@Observes StartupEvent event) {
        long period = Math.max(1000, Math.min(10_000, config.pongTimeoutSeconds() * 1000L / 3));
        timer = vertx.setPeriodic(period, id -> sweep(System.currentTimeMillis()));
    }

    /** A timer left running would revive the beans it uses after they were destroyed. */
    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    void sweep(long now) {
        long idleLimit = config.activityTimeoutSeconds() * 1000L;
        for (PusherConnection connection : connections.all()) {
            long silent = now - connection.lastHeardMillis();
            if (silent >= idleLimit + config.pongTimeoutSeconds() * 1000L && connection.pinged()) {
                connection.close(CloseCodes.PONG_NOT_RECEIVED, "Pong reply not received");
            } else if (silent >= idleLimit && !connection.pinged()) {
                connection.markPinged();
                connection.send(Frames.ping());
            }
        }
    }
}
