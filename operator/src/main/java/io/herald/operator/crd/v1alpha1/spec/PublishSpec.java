package io.herald.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PublishSpec {

    @Default("Immediate")
    @JsonPropertyDescription("When the REST API answers a publish with 200. Immediate: once Redis has appended it; a "
            + "Redis failover can still lose what its replica had not received. Replicated: only after at least one "
            + "Redis replica confirms it (Redis WAIT), else 503; slower, and needs a Redis with a replica.")
    public PublishDurability durability = PublishDurability.Immediate;
}
