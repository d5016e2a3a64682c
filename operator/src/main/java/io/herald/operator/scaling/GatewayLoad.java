package io.herald.operator.scaling;

import java.util.Collection;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.herald.operator.members.PodLeases;

/** Connections across a cluster's live gateways, as their Leases report them. */
public record GatewayLoad(int liveGateways, long connections) {

    public static GatewayLoad of(Collection<Lease> liveGatewayLeases) {
        return new GatewayLoad(liveGatewayLeases.size(), liveGatewayLeases.stream().mapToLong(PodLeases::connections).sum());
    }
}
