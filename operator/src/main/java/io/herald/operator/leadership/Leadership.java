package io.herald.operator.leadership;

import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.herald.operator.OperatorSettings;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;

/**
 * One active operator among its replicas. Every replica starts; the one holding the Lease
 * reconciles, the others stand by and take over when it stops renewing. quarkus-operator-sdk
 * enables leader election when this configuration exists and the profile is one of
 * {@code quarkus.operator-sdk.activate-leader-election-for-profiles} (prod by default), so tests
 * and dev mode run without it.
 *
 * <p>Two things JOSDK's own handling gets wrong for a pod. Its exit on lost leadership calls
 * System.exit, which on SIGTERM runs inside the JVM's shutdown and blocks it until Kubernetes kills
 * the pod; here a replica that loses the Lease while running exits through Quarkus instead, and
 * comes back as a standby whose caches are fresh. And it never releases the Lease, so a standby
 * waited out the whole Lease duration after every rolling update; a stopping leader now releases
 * it once it has stopped reconciling.
 */
@Singleton
public class Leadership {

    private static final Logger LOG = Logger.getLogger(Leadership.class);

    @Inject
    OperatorSettings settings;

    @Inject
    KubernetesClient client;

    private final String identity = identity();
    private volatile boolean leading;
    private volatile boolean stopping;
    private volatile boolean ledWhenStopping;

    @Produces
    @Singleton
    @Unremovable
    LeaderElectionConfiguration configuration() {
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> leading = true,
                this::lostLeadership,
                leader -> LOG.infof("Operator leader is now %s", leader));
        return new LeaderElectionConfiguration(settings.leaseName(), leaseNamespace(),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, identity, callbacks, false);
    }

    private void lostLeadership() {
        leading = false;
        if (!stopping && settings.exitOnLostLeadership()) {
            LOG.error("This replica lost the operator Lease; it exits to restart as a standby");
            Quarkus.asyncExit(1);
        }
    }

    /** Before the SDK stops (its observer has the default priority), so that losing the Lease then is no alarm. */
    void stopping(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        ledWhenStopping = leading;
        stopping = true;
    }

    /** After the SDK has stopped reconciling: a standby takes over at its next retry, not after the Lease expires. */
    void release(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) ShutdownEvent event) {
        if (!ledWhenStopping) {
            return;
        }
        String namespace = leaseNamespace();
        try {
            Lease lease = client.leases().inNamespace(namespace).withName(settings.leaseName()).get();
            if (lease != null && identity.equals(lease.getSpec().getHolderIdentity())) {
                lease.getSpec().setHolderIdentity("");
                client.resource(lease).update();
                LOG.infof("Released the operator Lease %s/%s", namespace, settings.leaseName());
            }
        } catch (KubernetesClientException e) {
            LOG.warnf("Could not release the operator Lease; a standby takes over when it expires: %s", e.getMessage());
        }
    }

    /** JOSDK would refuse to start when neither the settings nor the kubeconfig name a namespace. */
    private String leaseNamespace() {
        return settings.leaseNamespace().or(() -> Optional.ofNullable(client.getNamespace())).orElse("default");
    }

    /** The pod name, so the Lease says which pod leads, made unique for replicas that share a host name. */
    private static String identity() {
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(name -> !name.isBlank()).orElse("operator");
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
