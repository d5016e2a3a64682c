package io.herald.operator.cluster;

import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.model.ClusterPlan;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/**
 * An object the cluster consists of. Its desired state is one part of the {@link ClusterPlan} the
 * reconciler computed for this reconcile; JOSDK creates, updates and owns it.
 */
abstract class PlannedDependentResource<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, PushCluster> {

    PlannedDependentResource(Class<R> type) {
        super(type);
    }

    @Override
    protected R desired(PushCluster primary, Context<PushCluster> context) {
        R desired = part(context.managedWorkflowAndDependentResourceContext().getMandatory(ClusterPlan.class, ClusterPlan.class));
        desired.getMetadata().setOwnerReferences(List.of(controllerReference(primary)));
        return desired;
    }

    /** What every object of the cluster carries, so that deleting the cluster deletes it. */
    static OwnerReference controllerReference(PushCluster cluster) {
        return new OwnerReferenceBuilder()
                .withApiVersion(cluster.getApiVersion()).withKind(cluster.getKind())
                .withName(cluster.getMetadata().getName()).withUid(cluster.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /**
     * The reference is set in {@link #desired} instead, as the controller reference: kubectl then
     * shows the cluster as "Controlled By", and no other controller can adopt the object.
     */
    @Override
    protected boolean addOwnerReference() {
        return false;
    }

    protected abstract R part(ClusterPlan plan);
}
