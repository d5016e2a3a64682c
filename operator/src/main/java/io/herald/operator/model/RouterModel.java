package io.herald.operator.model;

import java.util.List;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.herald.operator.crd.v1alpha1.PushClusterSpec;
import io.herald.operator.crd.v1alpha1.spec.RouterSpec;

/** The router tier of a cluster, computed from the spec alone. */
public final class RouterModel {

    private RouterModel() {
    }

    public static Deployment deployment(ClusterNames names, PushClusterSpec spec, Images images, String secretsDigest) {
        RouterSpec router = spec.router;
        List<EnvVar> env = PodTemplates.commonEnv(names, spec);
        var container = PodTemplates.container(Component.ROUTER, images.router(), images.pullPolicy(), env,
                PodTemplates.resources(router.resources, "250m", "384Mi", "768Mi")).build();
        // A router hands its shards over when it stops; a Lease duration is the most that takes.
        long grace = spec.leaseDurationSeconds + 15L;
        return PodTemplates.deployment(names, Component.ROUTER, names.router(), router.replicas,
                PodTemplates.pod(names, Component.ROUTER, container, router.scheduling, grace, images),
                router.podAnnotations, secretsDigest);
    }

    public static PodDisruptionBudget disruptionBudget(ClusterNames names) {
        return PodDisruptionBudgets.oneAtATime(names, names.router(), Component.ROUTER);
    }
}
