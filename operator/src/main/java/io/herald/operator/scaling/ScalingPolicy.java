package io.herald.operator.scaling;

import java.time.Duration;

import io.herald.operator.crd.v1alpha1.spec.GatewaySpec;

/**
 * How a cluster's gateways scale on connections.
 *
 * @param stabilization how long every recommendation must have stayed below the current count
 *        before one gateway is removed
 * @param stepInterval the least time between two removals: one gateway's clients resettle before
 *        the next gateway drains
 */
public record ScalingPolicy(int minReplicas, int maxReplicas, int targetConnectionsPerPod, Duration stabilization,
        Duration stepInterval) {

    public static ScalingPolicy of(GatewaySpec gateway) {
        return new ScalingPolicy(gateway.minReplicas, gateway.maxReplicas, gateway.targetConnectionsPerPod,
                Duration.ofSeconds(gateway.scaleDownStabilizationSeconds), Duration.ofSeconds(gateway.drainSeconds));
    }

    public int clamp(int replicas) {
        return Math.max(minReplicas, Math.min(maxReplicas, replicas));
    }

    /** ceil(connections / target), within the bounds. */
    public int recommend(long connections) {
        long needed = (connections + targetConnectionsPerPod - 1) / targetConnectionsPerPod;
        return clamp((int) Math.min(Integer.MAX_VALUE, needed));
    }
}
