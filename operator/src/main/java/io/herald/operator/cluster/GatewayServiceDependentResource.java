package io.herald.operator.cluster;

import io.fabric8.kubernetes.api.model.Service;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.ClusterPlan;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_BY_SELECTOR))
public class GatewayServiceDependentResource extends PlannedDependentResource<Service> {

    public GatewayServiceDependentResource() {
        super(Service.class);
    }

    @Override
    protected Service part(ClusterPlan plan) {
        return plan.gatewayService();
    }
}
