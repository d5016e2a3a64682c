package io.herald.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.herald.operator.status.Rollout.State;

class RolloutTest {

    @Test
    void aDeploymentWhoseEveryReplicaRunsTheLatestSpecAndIsAvailableIsRolledOut() {
        assertEquals(new Rollout(State.COMPLETE, "gateways: 3 of 3 replicas updated and available"),
                Rollout.of("gateways", deployment(4, 4, 3, 3, 3, 3)));
    }

    @Test
    void aSpecTheDeploymentControllerHasNotSeenYetIsStillRollingOutThoughEveryPodIsReady() {
        Rollout rollout = Rollout.of("routers", deployment(5, 4, 2, 2, 2, 2));
        assertEquals(State.PROGRESSING, rollout.state());
        assertEquals("routers: waiting for the Deployment controller to see the new spec", rollout.message());
    }

    @Test
    void replicasOnTheOldSpecKeepTheRolloutGoing() {
        assertEquals(new Rollout(State.PROGRESSING, "gateways: 1 of 3 replicas updated"),
                Rollout.of("gateways", deployment(5, 5, 3, 4, 1, 4)));
        assertEquals(new Rollout(State.PROGRESSING, "gateways: 1 old replicas pending termination"),
                Rollout.of("gateways", deployment(5, 5, 3, 4, 3, 4)));
    }

    @Test
    void updatedReplicasThatAreNotAvailableYetKeepTheRolloutGoing() {
        assertEquals(new Rollout(State.PROGRESSING, "gateways: 2 of 3 updated replicas available"),
                Rollout.of("gateways", deployment(5, 5, 3, 3, 3, 2)));
    }

    @Test
    void aDeploymentPastItsProgressDeadlineHasStalled() {
        Deployment stuck = new DeploymentBuilder(deployment(5, 5, 3, 4, 1, 3).orElseThrow()).editStatus()
                .addNewCondition().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet \"push-gateway-7d9\" has timed out progressing.").endCondition().endStatus().build();
        assertEquals(new Rollout(State.STALLED, "gateways: ReplicaSet \"push-gateway-7d9\" has timed out progressing."),
                Rollout.of("gateways", Optional.of(stuck)));
    }

    @Test
    void aDeploymentWithoutAStatusOrNotCreatedIsRollingOut() {
        assertEquals(State.PROGRESSING, Rollout.of("routers", Optional.of(new DeploymentBuilder().withNewMetadata()
                .withGeneration(1L).endMetadata().withNewSpec().withReplicas(2).endSpec().build())).state());
        assertEquals(new Rollout(State.PROGRESSING, "routers: Deployment not created yet"), Rollout.of("routers", Optional.empty()));
    }

    static Optional<Deployment> deployment(long generation, long observedGeneration, int desired, int replicas, int updated,
            int available) {
        return Optional.of(new DeploymentBuilder().withNewMetadata().withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(desired).endSpec()
                .withNewStatus().withObservedGeneration(observedGeneration).withReplicas(replicas).withUpdatedReplicas(updated)
                    .withAvailableReplicas(available).withReadyReplicas(available).endStatus()
                .build());
    }
}
