package io.herald.gateway;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import io.herald.gateway.fanout.InboxReader;

/**
 * Alive while the inbox reader keeps getting answers from Redis, good or bad: a reader that
 * fails retries by itself, and a restart would not help it, but one that has heard nothing for
 * longer than any Redis timeout is wedged, and its subscribers receive nothing. Kubernetes then
 * restarts the pod; its clients reconnect elsewhere.
 */
@Liveness
@ApplicationScoped
public class GatewayLiveness implements HealthCheck {

    @Inject
    InboxReader inbox;

    @Inject
    GatewayConfig config;

    @Override
    public HealthCheckResponse call() {
        Duration since = inbox.sinceLastAnswer();
        return HealthCheckResponse.named("inbox-reader").status(since.compareTo(config.gateway().wedgedAfter()) < 0)
                .withData("sinceLastAnswerMillis", since.toMillis()).build();
    }
}
