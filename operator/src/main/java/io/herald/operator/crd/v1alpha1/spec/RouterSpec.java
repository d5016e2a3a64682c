package io.herald.operator.crd.v1alpha1.spec;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouterSpec {

    @Min(1)
    @Max(64)
    @Default("2")
    @JsonPropertyDescription("Router pods. Shards are divided among the live ones; with two or more, a router's loss "
            + "moves its shards to the others within a Lease duration.")
    public int replicas = 2;

    @Min(1)
    @Max(16384)
    @Default("64")
    @ValidationRule(value = "self == oldSelf", message = "router.shards is immutable: channels would change shard and "
            + "lose their single sequencer")
    @JsonPropertyDescription("Channel shards, fixed when the cluster is created. More shards spread channels over more "
            + "routers. Immutable.")
    public int shards = 64;

    @JsonPropertyDescription("CPU and memory of each router container. Defaults: requests 250m CPU and 384Mi, "
            + "limit 768Mi memory.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("Annotations added to every router pod, for example for a metrics scraper or a service "
            + "mesh. The operator's own annotation (herald.io/secrets-digest) cannot be overridden.")
    public Map<String, String> podAnnotations;

    @JsonPropertyDescription("Where router pods run.")
    public SchedulingSpec scheduling;
}
