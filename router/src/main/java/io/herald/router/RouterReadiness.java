package io.herald.router;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.herald.router.routing.ShardRouter;

/** Ready while the routing loop reads its shards without errors. */
@Readiness
@ApplicationScoped
public class RouterReadiness implements HealthCheck {

    @Inject
    ShardRouter router;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("routing").status(router.isHealthy()).build();
    }
}
