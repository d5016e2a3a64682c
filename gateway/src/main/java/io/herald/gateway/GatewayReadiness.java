package io.herald.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.herald.gateway.fanout.InboxReader;
import io.herald.gateway.protocol.Connections;
import io.herald.gateway.protocol.MembershipGuard;

/**
 * Ready while the gateway reads its inbox and holds its Lease: without either, subscribers would
 * receive nothing.
 */
@Readiness
@ApplicationScoped
public class GatewayReadiness implements HealthCheck {

    @Inject
    InboxReader inbox;

    @Inject
    Connections connections;

    @Inject
    MembershipGuard membership;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("gateway")
                .status(inbox.isHealthy() && membership.canServe())
                .withData("inbox", inbox.isHealthy())
                .withData("lease", membership.canServe())
                .withData("connections", connections.count())
                .build();
    }
}
