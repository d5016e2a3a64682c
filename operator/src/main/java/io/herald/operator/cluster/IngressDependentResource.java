package io.herald.operator.cluster;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.ClusterPlan;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Exists only while the spec has an ingress section; removing the section deletes it. */
@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_BY_SELECTOR))
public class IngressDependentResource extends PlannedDependentResource<Ingress> {

    public IngressDependentResource() {
        super(Ingress.class);
    }

    @Override
    protected Ingress part(ClusterPlan plan) {
        return plan.ingress().orElseThrow();
    }

    /** Found by name, because there is no desired Ingress to take the name from when it must go. */
    @Override
    protected ResourceID targetSecondaryResourceID(PushCluster primary, Context<PushCluster> context) {
        return new ResourceID(ClusterNames.of(primary).ingress(), primary.getMetadata().getNamespace());
    }

    public static class Configured implements Condition<Ingress, PushCluster> {
        @Override
        public boolean isMet(DependentResource<Ingress, PushCluster> dependentResource, PushCluster primary,
                Context<PushCluster> context) {
            return primary.getSpec().ingress != null;
        }
    }
}
