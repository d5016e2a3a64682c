package io.herald.router;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import io.herald.router.routing.ShardRouter;

/**
 * Alive while the routing loop keeps turning, well or badly. A loop that fails (Redis down) still
 * turns and retries, and a restart would not help it; a loop stuck in one turn for longer than
 * any Redis timeout is wedged, and Kubernetes restarts the pod.
 */
@Liveness
@ApplicationScoped
public class RouterLiveness implements HealthCheck {

    @Inject
    ShardRouter router;

    @Inject
    RouterConfig config;

    @Override
    public HealthCheckResponse call() {
        Duration since = router.sinceLastTurn();
        return HealthCheckResponse.named("routing-loop").status(since.compareTo(config.router().wedgedAfter()) < 0)
                .withData("sinceLastTurnMillis", since.toMillis()).build();
    }
}
