package io.herald.operator.cluster;

import java.util.function.Function;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.ClusterPlan;
import io.herald.operator.model.PodAccess;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** One per tier: gateways and routers run as different accounts, each allowed only what it uses. */
public abstract class RoleBindingDependentResource extends PlannedDependentResource<RoleBinding> {

    private final Function<ClusterPlan, PodAccess> access;

    RoleBindingDependentResource(Function<ClusterPlan, PodAccess> access) {
        super(RoleBinding.class);
        this.access = access;
    }

    @Override
    protected RoleBinding part(ClusterPlan plan) {
        return access.apply(plan).roleBinding();
    }

    @KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_BY_SELECTOR))
    public static class Gateway extends RoleBindingDependentResource {

        public Gateway() {
            super(ClusterPlan::gatewayAccess);
        }
    }

    @KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_BY_SELECTOR))
    public static class Router extends RoleBindingDependentResource {

        public Router() {
            super(ClusterPlan::routerAccess);
        }
    }
}
