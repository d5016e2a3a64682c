package io.herald.operator.crd.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What every Herald resource reports: the generation it reflects and its conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class HeraldStatus {

    @JsonPropertyDescription("The metadata.generation the operator last acted on.")
    public Long observedGeneration;

    @JsonPropertyDescription("Ready: whether the resource does what its spec says (for a PushCluster: its spec's "
            + "generation is rolled out to every pod and serving). Progressing (PushCluster): True while that rollout "
            + "is under way. Warning: True when something needs attention; its message says what.")
    public List<Condition> conditions = new ArrayList<>();

    public Optional<Condition> condition(String type) {
        return conditions.stream().filter(c -> type.equals(c.type)).findFirst();
    }
}
