package io.herald.operator.crd.v1alpha1.spec;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The cluster's PrometheusRule (monitoring.coreos.com/v1). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusRuleSpec {

    @JsonPropertyDescription("Whether the operator creates the PrometheusRule with Herald's alerts; false deletes it.")
    public boolean enabled;

    @JsonPropertyDescription("Labels of the PrometheusRule, for the Prometheus resource's ruleSelector.")
    public Map<String, String> labels;
}
