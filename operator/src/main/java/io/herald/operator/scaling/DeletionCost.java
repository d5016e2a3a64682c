package io.herald.operator.scaling;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.herald.operator.BestEffortCalls;
import io.herald.operator.members.PodLeases;

/**
 * Before the gateway count goes down, tells the ReplicaSet which gateway to remove: the one with
 * the fewest connections, so the fewest clients reconnect. Each gateway pod's
 * {@code controller.kubernetes.io/pod-deletion-cost} is set to its connection count, and the
 * ReplicaSet removes the cheapest first. Set only just before a scale-down, not on every load
 * change, because each annotation is a pod update.
 */
public final class DeletionCost {

    public static final String ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";
    /** The API server's answer for a pod that is gone: its Lease can outlive it by a few seconds. */
    private static final int GONE = 404;

    private DeletionCost() {
    }

    /** Pod name (each gateway's Lease is named after its pod) to cost. */
    static Map<String, Integer> costs(Collection<Lease> liveGatewayLeases) {
        Map<String, Integer> costs = new LinkedHashMap<>();
        liveGatewayLeases.forEach(lease -> costs.put(lease.getMetadata().getName(),
                (int) Math.min(Integer.MAX_VALUE, PodLeases.connections(lease))));
        return costs;
    }

    /**
     * Best effort: a pod that cannot be annotated only makes the choice less good. A pod that is
     * gone is no problem at all; any other failure is reported.
     */
    public static void mark(KubernetesClient client, String namespace, Collection<Lease> liveGatewayLeases, BestEffortCalls calls) {
        costs(liveGatewayLeases).forEach((pod, cost) -> {
            try {
                client.pods().inNamespace(namespace).withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"" + cost + "\"}}}");
            } catch (KubernetesClientException e) {
                if (e.getCode() != GONE) {
                    calls.failed(BestEffortCalls.Call.POD_DELETION_COST, "set the deletion cost of pod " + namespace + "/" + pod, e);
                }
            }
        });
    }
}
