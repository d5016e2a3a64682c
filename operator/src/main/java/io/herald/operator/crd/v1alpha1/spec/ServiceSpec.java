package io.herald.operator.crd.v1alpha1.spec;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;

/** The Service in front of the gateways. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceSpec {

    @Default("ClusterIP")
    @JsonPropertyDescription("ClusterIP (the default): reachable inside the cluster and through spec.ingress. "
            + "LoadBalancer: exposed on the cloud's load balancer, for teams that run WebSockets through an L4 load "
            + "balancer rather than an ingress controller. NodePort: on a port of every node.")
    public Type type = Type.ClusterIP;

    @JsonPropertyDescription("Annotations of the Service, for example a cloud load balancer's settings "
            + "(service.beta.kubernetes.io/aws-load-balancer-type: nlb).")
    public Map<String, String> annotations;

    public enum Type {
        ClusterIP,
        NodePort,
        LoadBalancer
    }
}
