package io.herald.operator.crd.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PushClusterStatus extends HeraldStatus {

    @JsonPropertyDescription("Gateway pods and the connections they hold.")
    public Gateways gateways = new Gateways();

    @JsonPropertyDescription("Router pods and which of them share the shards.")
    public Routers routers = new Routers();

    @JsonPropertyDescription("Where clients connect: wss://host with an Ingress, else the gateway Service's address.")
    public String endpoint;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Gateways {

        @StatusReplicas
        @JsonPropertyDescription("Gateway replicas the operator asked for.")
        public Integer desired;

        @JsonPropertyDescription("Gateway pods that are ready.")
        public Integer ready;

        @JsonPropertyDescription("Open client connections across live gateways, from their Leases.")
        public Long connections;

        @LabelSelector
        @JsonPropertyDescription("Label selector of the gateway pods, for the scale subresource.")
        public String selector;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Routers {

        @JsonPropertyDescription("Router pods that are ready.")
        public Integer ready;

        @JsonPropertyDescription("Routers with a live Lease: the members the shards are divided among by rendezvous "
                + "hashing.")
        public List<String> shardOwners = new ArrayList<>();
    }
}
