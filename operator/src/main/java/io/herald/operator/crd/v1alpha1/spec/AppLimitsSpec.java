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

    @Min(0)
    @Default("0")
    @JsonPropertyDescription("Channels one connection may hold; more are refused on the channel with status 4303. "
            + "0 means the gateway's default, 128.")
    public int maxChannelsPerConnection;

    @Min(0)
    @Default("0")
    @JsonPropertyDescription("New subscriptions per second one connection may make once a burst as large as its "
            + "channel limit is spent; more are refused on the channel with status 4304. 0 means the gateway's "
            + "default, 10.")
    public int subscribesPerSecond;
}
