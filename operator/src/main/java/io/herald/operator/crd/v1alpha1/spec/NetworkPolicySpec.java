package io.herald.operator.crd.v1alpha1.spec;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Size;

/**
 * NetworkPolicies around the cluster's pods, for namespaces that deny by default or teams that want
 * the pods' reach written down: gateways take traffic on their HTTP port only, routers none, and
 * both reach only DNS and the ports of Redis, MongoDB and the API server. The items' formats are
 * schema constraints that CrdConventions adds, as the generator cannot annotate list items.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkPolicySpec {

    /** Redis, MongoDB, and the API server behind its Service (443) or on its own port (6443). */
    public static final List<Integer> DEFAULT_EGRESS_PORTS = List.of(443, 6379, 6443, 27017);

    @JsonPropertyDescription("Namespaces allowed to reach the gateways' HTTP port (WebSockets and REST API), "
            + "usually the ingress controller's and the app backends'. Empty: any source. Routers accept no traffic.")
    @Size(max = 32)
    public List<String> ingressFromNamespaces;

    @JsonPropertyDescription("Where Redis, MongoDB and the API server are, as CIDRs. Empty: any address.")
    @Size(max = 32)
    public List<String> egressCidrs;

    @JsonPropertyDescription("TCP ports the pods may connect to besides DNS. Empty: 443 and 6443 (the API server), "
            + "6379 (Redis) and 27017 (MongoDB).")
    @Size(max = 32)
    public List<Integer> egressPorts;
}
