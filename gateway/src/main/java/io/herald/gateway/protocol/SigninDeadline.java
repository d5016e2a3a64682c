package io.herald.gateway.protocol;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.herald.gateway.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Pusher's "authorized connections": a connection to an app with user authentication must sign in
 * ({@code pusher:signin}) within the timeout, or is closed with 4009, so that only users the app's
 * backend vouched for hold sockets. One sweep over all connections every second, no timer per
 * connection.
 */
@ApplicationScoped
public class SigninDeadline {

    @Inject
    Connections connections;

    @Inject
    Vertx vertx;

    @Inject
    GatewayConfig config;

    private long timer;

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(1000, id -> sweep(System.currentTimeMillis()));
    }

    /** A timer left running would revive the beans it uses after they were destroyed. */
    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    void sweep(long now) {
        long deadline = config.signinTimeoutSeconds() * 1000L;
        for (PusherConnection connection : connections.all()) {
            if (connection.app().userAuthentication() && connection.signedInUser() == null
                    && now - connection.openedAtMillis() >= deadline) {
                connection.close(CloseCodes.UNAUTHORIZED, "Connection not authorized within timeout");
            }
        }
    }
}
