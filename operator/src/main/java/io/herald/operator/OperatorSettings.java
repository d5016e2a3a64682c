package io.herald.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The operator's own settings; the Helm chart sets them from its values. */
@ConfigMapping(prefix = "herald.operator")
public interface OperatorSettings {

    /** Image of gateway pods when a PushCluster names none. */
    String gatewayImage();

    /** Image of router pods when a PushCluster names none. */
    String routerImage();

    /** Seconds between reconciles of a cluster when nothing else triggers one: lets Leases expire and windows pass. */
    @WithDefault("10")
    int resyncSeconds();
}
