package io.herald.operator.cluster;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.ClusterPlan;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_BY_SELECTOR))
public class RouterDeploymentDependentResource extends PlannedDependentResource<Deployment> {

    public RouterDeploymentDependentResource() {
        super(Deployment.class);
    }

    @Override
    protected Deployment part(ClusterPlan plan) {
        return plan.routerDeployment();
    }
}
