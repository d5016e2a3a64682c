package io.herald.operator.cluster;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.ClusterPlan;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_BY_SELECTOR))
public class RoleBindingDependentResource extends PlannedDependentResource<RoleBinding> {

    public RoleBindingDependentResource() {
        super(RoleBinding.class);
    }

    @Override
    protected RoleBinding part(ClusterPlan plan) {
        return plan.roleBinding();
    }
}
