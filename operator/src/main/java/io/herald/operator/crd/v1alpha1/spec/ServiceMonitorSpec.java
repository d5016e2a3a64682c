package io.herald.operator.crd.v1alpha1.spec;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** The cluster's ServiceMonitor (monitoring.coreos.com/v1). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceMonitorSpec {

    @JsonPropertyDescription("Whether the operator creates the ServiceMonitor; false deletes it.")
    public boolean enabled;

    @Default("30s")
    @Pattern("^([0-9]+(ms|s|m|h))+$")
    @ValidationRule(value = "duration(self) >= duration('5s')",
            message = "monitoring.serviceMonitor.interval must be at least 5s: the pods' series change no faster")
    @JsonPropertyDescription("How often Prometheus scrapes each pod, as a Prometheus duration (30s, 1m).")
    public String interval = "30s";

    @JsonPropertyDescription("Labels of the ServiceMonitor, for the Prometheus resource's serviceMonitorSelector "
            + "(kube-prometheus-stack selects release: <its release name>).")
    public Map<String, String> labels;
}
