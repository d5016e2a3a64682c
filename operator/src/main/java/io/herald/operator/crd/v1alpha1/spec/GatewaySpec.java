package io.herald.operator.crd.v1alpha1.spec;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.minReplicas <= self.maxReplicas", message = "gateway.minReplicas must not exceed gateway.maxReplicas")
@ValidationRule(value = "!has(self.replicas) || (self.replicas >= self.minReplicas && self.replicas <= self.maxReplicas)",
        message = "gateway.replicas must lie between gateway.minReplicas and gateway.maxReplicas")
@ValidationRule(value = "!has(self.maxConnectionsPerPod) || self.maxConnectionsPerPod >= self.targetConnectionsPerPod",
        message = "gateway.maxConnectionsPerPod must be at least gateway.targetConnectionsPerPod")
public class GatewaySpec {

    @Default("Connections")
    @JsonPropertyDescription("Who decides the gateway replica count. Connections: the operator, from the connection "
            + "counts in the gateways' Leases. External: spec.gateway.replicas, written by hand, by kubectl scale or by "
            + "an HPA or KEDA through this resource's scale subresource.")
    public ScalingMode scaling = ScalingMode.Connections;

    @SpecReplicas
    @Min(1)
    @JsonPropertyDescription("Gateway replicas when scaling is External; ignored otherwise.")
    public Integer replicas;

    @Min(1)
    @Max(1000)
    @Default("2")
    @JsonPropertyDescription("Fewest gateways, whatever the load. Two or more keep clients connected through a pod "
            + "restart.")
    public int minReplicas = 2;

    @Min(1)
    @Max(1000)
    @Default("20")
    @JsonPropertyDescription("Most gateways, whatever the load.")
    public int maxReplicas = 20;

    @Min(1)
    @Default("10000")
    @JsonPropertyDescription("Connections one gateway should hold: replicas = ceil(connections / this), within the "
            + "bounds.")
    public int targetConnectionsPerPod = 10000;

    @Min(1)
    @JsonPropertyDescription("Hard cap per gateway: past it, new connections are refused with 4100 (reconnect after a "
            + "back-off, usually to another gateway), so a gateway the autoscaler has not relieved yet does not run out "
            + "of memory. At least targetConnectionsPerPod; no cap when unset.")
    public Integer maxConnectionsPerPod;

    @Min(0)
    @Default("0")
    @JsonPropertyDescription("Open connections one client IP address may hold on each gateway; more from that address "
            + "are refused with a Pusher error (docs/protocol.md lists the code) and the others are unaffected. Clients "
            + "behind one NAT or proxy share an address, so size it for them. 0 (the default) turns the limit off.")
    public int maxConnectionsPerAddress;

    @Min(0)
    @Max(86400)
    @Default("300")
    @JsonPropertyDescription("Seconds the load must have stayed low before one gateway is removed. Scaling up is "
            + "immediate; every removal makes that pod's clients reconnect, so it is deliberate.")
    public int scaleDownStabilizationSeconds = 300;

    @Min(0)
    @Max(3600)
    @Default("30")
    @JsonPropertyDescription("Seconds a stopping gateway spends closing its connections (code 4200, jittered) so that "
            + "clients reconnect to the others gradually. The pod's termination grace period is this plus 20 seconds; "
            + "the operator removes at most one gateway per drain period.")
    public int drainSeconds = 30;

    @Default("false")
    @JsonPropertyDescription("Serves the web console on /console/ of every gateway (and routes it through the Ingress "
            + "or HTTPRoute): a live view of an app's events, connections and channels, and a form to publish a test "
            + "event. Signing in takes the app's id, key and secret. Off by default.")
    public boolean console;

    @JsonPropertyDescription("CPU and memory of each gateway container. Defaults: requests 500m CPU and 512Mi, "
            + "limit 1Gi memory.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("The Service in front of the gateways: its type and annotations.")
    public ServiceSpec service;

    @JsonPropertyDescription("Annotations added to every gateway pod, for example for a metrics scraper or a service "
            + "mesh. The operator's own annotation (herald.io/secrets-digest) cannot be overridden.")
    public Map<String, String> podAnnotations;

    @JsonPropertyDescription("Where gateway pods run.")
    public SchedulingSpec scheduling;
}
