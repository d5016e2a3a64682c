package io.herald.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.herald.gateway.fanout.InboxReader;
import io.herald.gateway.protocol.Connections;

/** Ready once the gateway reads its inbox: before that, subscribers would receive nothing. */
@Readiness
@ApplicationScoped
public class GatewayReadiness implements HealthCheck {

    @Inject
    InboxReader inbox;

    @Inject
    Connections connections;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("inbox")
                .status(inbox.isHealthy())
                .withData("connections", connections.count())
                .build();
    }
}
