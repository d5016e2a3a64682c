package io.herald.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.herald.gateway.fanout.InboxReader;
import io.herald.gateway.protocol.Connections;
import io.herald.gateway.protocol.Drain;
import io.herald.gateway.protocol.MembershipGuard;

/**
 * Ready while the gateway reads its inbox and holds its Lease: without either, subscribers would
 * receive nothing. Unready while it drains, so that no new client is sent to it.
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

    @Inject
    Drain drain;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("gateway")
                .status(inbox.isHealthy() && membership.canServe() && !drain.isDraining())
                .withData("inbox", inbox.isHealthy())
                .withData("lease", membership.canServe())
                .withData("draining", drain.isDraining())
                .withData("connections", connections.count())
                .build();
    }
}
