package io.herald.operator.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.herald.operator.crd.v1alpha1.PushCluster;

/**
 * Writes one of a cluster's objects of a kind whose CRD may be missing (the Prometheus Operator's,
 * the Gateway API's) with plain API calls rather than as a workflow dependent: a dependent watches
 * its kind through an informer, and an informer on a kind whose CRD is missing would keep the
 * operator from starting. An API server without the CRD answers 404 to a create, which no existing
 * object can cause; callers turn that into a condition.
 */
final class OptionalObjects {

    private OptionalObjects() {
    }

    /**
     * One GET, then a create for a new object, an update only when labels, owner or spec differ from
     * the plan, or a delete when there is no plan.
     *
     * @throws io.fabric8.kubernetes.client.KubernetesClientException with code 404 when the API server does not know the kind
     */
    static void reconcile(KubernetesClient client, ResourceDefinitionContext kind, PushCluster cluster, String name,
            Optional<GenericKubernetesResource> desired) {
        NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> objects =
                client.genericKubernetesResources(kind).inNamespace(cluster.getMetadata().getNamespace());
        Resource<GenericKubernetesResource> existing = objects.withName(name);
        if (desired.isEmpty()) {
            existing.delete();
            return;
        }
        GenericKubernetesResource planned = owned(desired.get(), cluster);
        GenericKubernetesResource current = existing.get();
        if (current == null) {
            objects.resource(planned).create();
        } else if (!Objects.equals(current.getMetadata().getLabels(), planned.getMetadata().getLabels())
                || !Objects.equals(current.getMetadata().getOwnerReferences(), planned.getMetadata().getOwnerReferences())
                || !Objects.equals(current.getAdditionalProperties().get("spec"), planned.getAdditionalProperties().get("spec"))) {
            planned.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
            objects.resource(planned).update();
        }
    }

    /** Controlled by the cluster, as its other objects are: deleting the cluster deletes them. */
    private static GenericKubernetesResource owned(GenericKubernetesResource object, PushCluster cluster) {
        object.getMetadata().setOwnerReferences(List.of(PlannedDependentResource.controllerReference(cluster)));
        return object;
    }
}
