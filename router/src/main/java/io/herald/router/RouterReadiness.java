package io.herald.router;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.herald.router.routing.ShardRouter;

/** Ready while the routing loop runs without errors; reports the shards it owns. */
@Readiness
@ApplicationScoped
public class RouterReadiness implements HealthCheck {

    @Inject
    ShardRouter router;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("routing").status(router.isHealthy())
                .withData("shards", router.ownedShards().size()).build();
    }
}
