package io.herald.operator;

import java.util.Optional;

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

    /**
     * Name of the Lease, in the operator's namespace, that its replicas elect a leader with. The
     * chart sets its release's full name, so that two releases in one namespace do not share it.
     */
    @WithDefault("herald-operator")
    String leaseName();

    /**
     * Namespace of that Lease. The chart sets the operator pod's own; unset, the client's namespace
     * (the kubeconfig context's), and "default" when that names none either.
     */
    Optional<String> leaseNamespace();

    /**
     * Whether a replica that loses the Lease exits, to come back as a standby. Off only in tests,
     * whose JVM must outlive the operator they stop.
     */
    @WithDefault("true")
    boolean exitOnLostLeadership();
}
