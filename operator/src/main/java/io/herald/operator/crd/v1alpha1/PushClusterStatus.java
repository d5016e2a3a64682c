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

        @JsonPropertyDescription("Routers with a live Lease and how many shards each owns: the assignment every "
                + "router computes by rendezvous hashing over the live Leases. After a router joins or leaves, the "
                + "claims in Redis follow within a renewal period.")
        public List<ShardOwner> shardOwners = new ArrayList<>();

        @JsonPropertyDescription("The cluster's channel shards (spec.router.shards).")
        public Integer shards;

        @JsonPropertyDescription("Shards with a live owner, the sum of shardOwners: below shards, some channels have "
                + "no router and get no deliveries.")
        public Integer ownedShards;
    }

    public static class ShardOwner {

        @JsonPropertyDescription("Router pod name (the name of its Lease).")
        public String router;

        @JsonPropertyDescription("Shards the router owns.")
        public int shards;

        public ShardOwner() {
        }

        public ShardOwner(String router, int shards) {
            this.router = router;
            this.shards = shards;
        }
    }
}
