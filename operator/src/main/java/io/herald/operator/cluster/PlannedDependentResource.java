package io.herald.operator.cluster;

import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
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
        desired.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
                .withApiVersion(primary.getApiVersion()).withKind(primary.getKind())
                .withName(primary.getMetadata().getName()).withUid(primary.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build()));
        return desired;
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
