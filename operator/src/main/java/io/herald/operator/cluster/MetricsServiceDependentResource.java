package io.herald.operator.cluster;

import io.fabric8.kubernetes.api.model.Service;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.ClusterPlan;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The headless Service a ServiceMonitor scrapes every pod of the cluster through. Always there,
 * whether or not the spec asks for a ServiceMonitor: headless, it costs no cluster IP, and keeping it
 * spares the operator the right to delete Services; a scrape config of one's own can use it too.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_BY_SELECTOR))
public class MetricsServiceDependentResource extends PlannedDependentResource<Service> {

    public MetricsServiceDependentResource() {
        super(Service.class);
    }

    @Override
    protected Service part(ClusterPlan plan) {
        return plan.metricsService();
    }
}
