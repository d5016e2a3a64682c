package io.herald.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

public class AppLimitsSpec {

    @Min(0)
    @Default("0")
    @JsonPropertyDescription("Connections the app may hold across the cluster; more are refused with 4004. 0 means "
            + "no limit.")
    public int maxConnections;
}
