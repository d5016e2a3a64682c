package io.herald.operator.cluster;

import io.fabric8.kubernetes.api.model.rbac.Role;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.ClusterPlan;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_BY_SELECTOR))
public class RoleDependentResource extends PlannedDependentResource<Role> {

    public RoleDependentResource() {
        super(Role.class);
    }

    @Override
    protected Role part(ClusterPlan plan) {
        return plan.role();
    }
}
