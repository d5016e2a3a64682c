package io.herald.operator.status;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

/**
 * How far a Deployment has rolled out its current spec, decided as {@code kubectl rollout status}
 * decides it. Ready pods alone do not say that: in the middle of a rollout old pods are ready too,
 * so a tier counts as rolled out only once the Deployment controller has seen its latest spec,
 * every replica runs that spec, no old pod is left and every new one is available.
 *
 * @param state where the rollout stands
 * @param message what it waits for, for humans
 */
public record Rollout(State state, String message) {

    public enum State {
        /** The latest spec runs on every replica and every replica is available. */
        COMPLETE,
        /** The Deployment controller is replacing, adding or waiting for pods. */
        PROGRESSING,
        /** The Deployment controller gave up waiting (its progressDeadlineSeconds passed). */
        STALLED
    }

    /** The Deployment controller's reason on its Progressing condition once the deadline passed. */
    static final String DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

    /**
     * @param tier "gateways" or "routers", to name the tier in the message
     * @param deployment the Deployment as the API server last reported it; empty before it exists
     */
    public static Rollout of(String tier, Optional<Deployment> deployment) {
        if (deployment.isEmpty()) {
            return new Rollout(State.PROGRESSING, tier + ": Deployment not created yet");
        }
        Deployment current = deployment.get();
        DeploymentStatus status = Optional.ofNullable(current.getStatus()).orElseGet(DeploymentStatus::new);
        long generation = Optional.ofNullable(current.getMetadata().getGeneration()).orElse(0L);
        int desired = Optional.ofNullable(current.getSpec().getReplicas()).orElse(1);
        int updated = count(status.getUpdatedReplicas());
        int total = count(status.getReplicas());
        int available = count(status.getAvailableReplicas());
        if (Optional.ofNullable(status.getObservedGeneration()).orElse(0L) < generation) {
            return new Rollout(State.PROGRESSING, tier + ": waiting for the Deployment controller to see the new spec");
        }
        Optional<DeploymentCondition> stalled = Optional.ofNullable(status.getConditions()).flatMap(conditions -> conditions
                .stream().filter(condition -> DEADLINE_EXCEEDED.equals(condition.getReason())).findFirst());
        if (stalled.isPresent()) {
            return new Rollout(State.STALLED, tier + ": " + stalled.get().getMessage());
        }
        if (updated < desired) {
            return new Rollout(State.PROGRESSING, tier + ": " + updated + " of " + desired + " replicas updated");
        }
        if (total > updated) {
            return new Rollout(State.PROGRESSING, tier + ": " + (total - updated) + " old replicas pending termination");
        }
        if (available < updated) {
            return new Rollout(State.PROGRESSING, tier + ": " + available + " of " + updated + " updated replicas available");
        }
        return new Rollout(State.COMPLETE, tier + ": " + available + " of " + desired + " replicas updated and available");
    }

    private static int count(Integer value) {
        return Optional.ofNullable(value).orElse(0);
    }
}
