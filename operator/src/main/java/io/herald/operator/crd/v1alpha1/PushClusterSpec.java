package io.herald.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.herald.operator.crd.v1alpha1.spec.GatewaySpec;
import io.herald.operator.crd.v1alpha1.spec.HttpRouteSpec;
import io.herald.operator.crd.v1alpha1.spec.ImagesSpec;
import io.herald.operator.crd.v1alpha1.spec.IngressSpec;
import io.herald.operator.crd.v1alpha1.spec.MongoSpec;
import io.herald.operator.crd.v1alpha1.spec.MonitoringSpec;
import io.herald.operator.crd.v1alpha1.spec.NetworkPolicySpec;
import io.herald.operator.crd.v1alpha1.spec.PublishSpec;
import io.herald.operator.crd.v1alpha1.spec.RedisSpec;
import io.herald.operator.crd.v1alpha1.spec.RouterSpec;
import io.herald.operator.crd.v1alpha1.spec.TenancySpec;

/**
 * What a PushCluster asks for. The sections with defaults ({@code gateway}, {@code router},
 * {@code publish}) default to objects in the CRD as well, so that the API server stores them, with
 * their fields' defaults, even when a manifest leaves them out: a transition rule such as
 * {@code router.shards}'s {@code self == oldSelf} is only evaluated where the old object has the
 * value, and would let a later manifest add a different one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PushClusterSpec {

    @Default("{}")
    @JsonPropertyDescription("Gateways: the pods that hold client WebSockets and serve the REST API. The operator "
            + "scales them on connection count.")
    public GatewaySpec gateway = new GatewaySpec();

    @Default("{}")
    @JsonPropertyDescription("Routers: the pods that own channel shards, order each channel and fan out to gateways.")
    public RouterSpec router = new RouterSpec();

    @Default("{}")
    @JsonPropertyDescription("How publications sent to the REST API are acknowledged.")
    public PublishSpec publish = new PublishSpec();

    @Required
    @JsonPropertyDescription("The Redis server the cluster keeps its streams in.")
    public RedisSpec redis;

    @JsonPropertyDescription("Optional MongoDB for the durable message archive.")
    public MongoSpec mongodb;

    @JsonPropertyDescription("Optional Ingress that exposes the gateways (WebSockets and REST API) on a host name. "
            + "Without it, clients reach the gateway Service inside the cluster.")
    public IngressSpec ingress;

    @JsonPropertyDescription("Optional Gateway API HTTPRoute that exposes the gateways through existing Gateways, beside "
            + "or instead of the Ingress. Needs the Gateway API's CRDs; without them the cluster runs as before and its "
            + "RouteReady condition says so.")
    public HttpRouteSpec httpRoute;

    @JsonPropertyDescription("Optional NetworkPolicies for the gateways and routers: gateways accept traffic on their "
            + "HTTP port only, routers none; both reach only DNS, Redis, MongoDB and the API server. Without it the "
            + "operator creates none.")
    public NetworkPolicySpec networkPolicy;

    @JsonPropertyDescription("Optional sharing with other namespaces: whose PushApps, besides this namespace's, the "
            + "cluster serves. Without it, only this namespace's.")
    public TenancySpec tenancy;

    @JsonPropertyDescription("Optional Prometheus Operator objects for the cluster: a ServiceMonitor for the pods' "
            + "metrics and a PrometheusRule with Herald's alerts. Needs the Prometheus Operator's CRDs; without them the "
            + "cluster runs as before and its MonitoringReady condition says so.")
    public MonitoringSpec monitoring;

    @JsonPropertyDescription("Container images, when not the ones this operator version ships with.")
    public ImagesSpec images;

    @Min(5)
    @Max(300)
    @Default("15")
    @JsonPropertyDescription("Seconds a pod's Lease stays valid without renewal. Pods renew every third of it; a router "
            + "that could not renew for two thirds stops acting on its shards. Shorter means faster failover and more "
            + "API server writes.")
    public int leaseDurationSeconds = 15;
}
