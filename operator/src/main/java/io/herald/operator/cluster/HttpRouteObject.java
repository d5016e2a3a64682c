package io.herald.operator.cluster;

import java.util.Optional;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.ClusterPlan;
import io.herald.operator.model.HttpRouteModel;
import io.herald.operator.status.OptionalObjectsState;

/**
 * Brings a cluster's HTTPRoute to its plan, as {@link OptionalObjects}: where the Gateway API is not
 * installed the cluster must run as before and say why it is not routed. Calls are made only while
 * the spec asks for the route or the status still reports it, so that removing spec.httpRoute
 * deletes it: one GET per reconcile in the steady state.
 */
final class HttpRouteObject {

    private HttpRouteObject() {
    }

    /**
     * @param reported whether the status reports the route from an earlier reconcile
     * @return the outcome, or empty when the route is off and nothing is left to delete
     */
    static Optional<OptionalObjectsState> reconcile(KubernetesClient client, PushCluster cluster, ClusterPlan plan, boolean reported) {
        boolean wanted = plan.httpRoute().isPresent();
        if (!wanted && !reported) {
            return Optional.empty();
        }
        String name = ClusterNames.of(cluster).cluster();
        try {
            OptionalObjects.reconcile(client, HttpRouteModel.definition(), cluster, name, plan.httpRoute());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 && wanted) {
                return Optional.of(new OptionalObjectsState(false, "GatewayApiMissing", "The Gateway API's CRDs are not "
                        + "installed (" + HttpRouteModel.PLURAL + "." + HttpRouteModel.GROUP + " unknown to the API server): "
                        + "the cluster is not exposed through a Gateway. Install the Gateway API or remove spec.httpRoute"));
            }
            if (e.getCode() != 404) {
                return Optional.of(new OptionalObjectsState(false, "RouteFailed", HttpRouteModel.KIND + " " + name + ": "
                        + e.getMessage()));
            }
        }
        return wanted ? Optional.of(new OptionalObjectsState(true, "Routed", HttpRouteModel.KIND + " " + name + " in place: "
                + "the Gateways it names decide whether to accept it (kubectl get httproute " + name + " -o yaml)"))
                : Optional.empty();
    }
}
