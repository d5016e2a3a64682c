package io.herald.operator.crd.v1alpha1.spec;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;

/** The pod scheduling fields a platform team sets, passed to the pods unchanged. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SchedulingSpec {

    @JsonPropertyDescription("Node labels the pods must run on.")
    public Map<String, String> nodeSelector;

    @JsonPropertyDescription("Pod affinity and anti-affinity.")
    public Affinity affinity;

    @JsonPropertyDescription("Taints the pods tolerate.")
    public List<Toleration> tolerations;

    @JsonPropertyDescription("How pods spread over zones and nodes. Without it, pods of one component prefer "
            + "different nodes.")
    public List<TopologySpreadConstraint> topologySpreadConstraints;

    @JsonPropertyDescription("PriorityClass of the pods.")
    public String priorityClassName;
}
