package io.herald.operator.cluster;

import java.util.function.Function;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.ClusterPlan;
import io.herald.operator.model.PodAccess;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** One per tier: gateways and routers run as different accounts, each allowed only what it uses. */
public abstract class ServiceAccountDependentResource extends PlannedDependentResource<ServiceAccount> {

    private final Function<ClusterPlan, PodAccess> access;

    ServiceAccountDependentResource(Function<ClusterPlan, PodAccess> access) {
        super(ServiceAccount.class);
        this.access = access;
    }

    @Override
    protected ServiceAccount part(ClusterPlan plan) {
        return access.apply(plan).serviceAccount();
    }

    @KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_BY_SELECTOR))
    public static class Gateway extends ServiceAccountDependentResource {

        public Gateway() {
            super(ClusterPlan::gatewayAccess);
        }
    }

    @KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_BY_SELECTOR))
    public static class Router extends ServiceAccountDependentResource {

        public Router() {
            super(ClusterPlan::routerAccess);
        }
    }
}
