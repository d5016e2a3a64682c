package io.herald.operator.leadership;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.javaoperatorsdk.operator.Operator;

/**
 * Ready when this replica does its part: the reconciling replica once all its informers watch, a
 * standby as soon as it runs. quarkus-operator-sdk's own readiness check is off
 * (application.properties): it counts a standby's informers, which start only with leadership, as
 * unhealthy, and a standby that is never ready would stall every rolling update of the operator.
 */
@Readiness
@ApplicationScoped
public class OperatorReadiness implements HealthCheck {

    @Inject
    Operator operator;

    @Inject
    Leadership leadership;

    @Override
    public HealthCheckResponse call() {
        boolean started = operator.getRuntimeInfo().isStarted();
        boolean reconciling = leadership.isLeading()
                || operator.getConfigurationService().getLeaderElectionConfiguration().isEmpty();
        boolean ready = started && (!reconciling || operator.getRuntimeInfo().allEventSourcesAreHealthy());
        return HealthCheckResponse.named("herald-operator").status(ready)
                .withData("role", reconciling ? "reconciling" : "standby")
                .build();
    }
}
