package io.herald.operator.cluster;

import java.util.function.Function;

import io.fabric8.kubernetes.api.model.rbac.Role;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.ClusterPlan;
import io.herald.operator.model.PodAccess;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** One per tier: gateways and routers run as different accounts, each allowed only what it uses. */
public abstract class RoleDependentResource extends PlannedDependentResource<Role> {

    private final Function<ClusterPlan, PodAccess> access;

    RoleDependentResource(Function<ClusterPlan, PodAccess> access) {
        super(Role.class);
        this.access = access;
    }

    @Override
    protected Role part(ClusterPlan plan) {
        return access.apply(plan).role();
    }

    @KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_BY_SELECTOR))
    public static class Gateway extends RoleDependentResource {

        public Gateway() {
            super(ClusterPlan::gatewayAccess);
        }
    }

    @KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_BY_SELECTOR))
    public static class Router extends RoleDependentResource {

        public Router() {
            super(ClusterPlan::routerAccess);
        }
    }
}
