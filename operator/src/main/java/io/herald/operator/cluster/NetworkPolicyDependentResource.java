package io.herald.operator.cluster;

import java.util.Optional;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.ClusterPlan;
import io.herald.operator.model.Component;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** One per tier, only while the spec has a networkPolicy section; removing the section deletes both. */
public abstract class NetworkPolicyDependentResource extends PlannedDependentResource<NetworkPolicy> {

    private final Component component;
    private final Function<ClusterPlan, Optional<NetworkPolicy>> policy;

    NetworkPolicyDependentResource(Component component, Function<ClusterPlan, Optional<NetworkPolicy>> policy) {
        super(NetworkPolicy.class);
        this.component = component;
        this.policy = policy;
    }

    @Override
    protected NetworkPolicy part(ClusterPlan plan) {
        return policy.apply(plan).orElseThrow();
    }

    /** Found by name, because there is no desired policy to take the name from when it must go. */
    @Override
    protected ResourceID targetSecondaryResourceID(PushCluster primary, Context<PushCluster> context) {
        return new ResourceID(ClusterNames.of(primary).serviceAccount(component), primary.getMetadata().getNamespace());
    }

    @KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_BY_SELECTOR))
    public static class Gateway extends NetworkPolicyDependentResource {

        public Gateway() {
            super(Component.GATEWAY, ClusterPlan::gatewayNetworkPolicy);
        }
    }

    @KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_BY_SELECTOR))
    public static class Router extends NetworkPolicyDependentResource {

        public Router() {
            super(Component.ROUTER, ClusterPlan::routerNetworkPolicy);
        }
    }

    public static class Configured implements Condition<NetworkPolicy, PushCluster> {
        @Override
        public boolean isMet(DependentResource<NetworkPolicy, PushCluster> dependentResource, PushCluster primary,
                Context<PushCluster> context) {
            return primary.getSpec().networkPolicy != null;
        }
    }
}
