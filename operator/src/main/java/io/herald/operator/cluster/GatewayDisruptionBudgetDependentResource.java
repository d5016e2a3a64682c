package io.herald.operator.cluster;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.ClusterPlan;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_BY_SELECTOR))
public class GatewayDisruptionBudgetDependentResource extends PlannedDependentResource<PodDisruptionBudget> {

    public GatewayDisruptionBudgetDependentResource() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget part(ClusterPlan plan) {
        return plan.gatewayDisruptionBudget();
    }
}
