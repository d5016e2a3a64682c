package io.herald.operator.scaling;

import java.time.Instant;
import java.util.Optional;

/**
 * The gateway replica count for the next reconcile, and why. Up at once (new clients land on new
 * pods right away); down by one pod only after the load stayed low for the whole stabilisation
 * window and the previous removal's drain period has passed (each removal makes that pod's clients
 * reconnect); never outside the bounds.
 */
public record ScalingDecision(int replicas, String reason) {

    public static ScalingDecision decide(int current, long connections, ScalingPolicy policy, ScaleHistory history,
            Instant now) {
        int recommendation = policy.recommend(connections);
        history.record(now, recommendation, policy.stabilization());
        if (current < policy.minReplicas() || current > policy.maxReplicas()) {
            return new ScalingDecision(policy.clamp(current), "OutOfBounds");
        }
        if (recommendation > current) {
            return new ScalingDecision(recommendation, "ScaledUp");
        }
        if (recommendation == current) {
            return new ScalingDecision(current, "Steady");
        }
        Optional<Integer> stable = history.stableRecommendation(now, policy.stabilization());
        if (stable.isEmpty() || stable.get() >= current) {
            return new ScalingDecision(current, "Stabilizing");
        }
        boolean stepDue = history.lastScaleDown().map(last -> !last.plus(policy.stepInterval()).isAfter(now)).orElse(true);
        if (!stepDue) {
            return new ScalingDecision(current, "Draining");
        }
        history.scaledDown(now);
        return new ScalingDecision(current - 1, "ScaledDown");
    }
}
