package io.herald.operator.crd.v1alpha1.spec;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.LocalObjectReference;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImagesSpec {

    @JsonPropertyDescription("Gateway image, when not the one this operator version ships with.")
    public String gateway;

    @JsonPropertyDescription("Router image, when not the one this operator version ships with.")
    public String router;

    @Default("IfNotPresent")
    @JsonPropertyDescription("Image pull policy: Always, IfNotPresent or Never.")
    public PullPolicy pullPolicy = PullPolicy.IfNotPresent;

    @JsonPropertyDescription("Secrets for pulling the images from a private registry.")
    public List<LocalObjectReference> pullSecrets;

    public enum PullPolicy {
        Always,
        IfNotPresent,
        Never
    }
}
