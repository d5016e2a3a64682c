package io.herald.operator.leadership;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.herald.operator.OperatorSettings;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.arc.Unremovable;

/**
 * One active operator among its replicas. Every replica starts; the one holding the Lease
 * reconciles, the others stand by and take over when it stops renewing. quarkus-operator-sdk
 * enables leader election when this configuration exists and the profile is one of
 * {@code quarkus.operator-sdk.activate-leader-election-for-profiles} (prod by default), so tests
 * and dev mode run without it.
 *
 * <p>A replica that loses the Lease exits (JOSDK's default) and is restarted as a standby: its
 * caches could otherwise act on a stale view next to the new leader.
 */
@Singleton
public class Leadership {

    private static final Logger LOG = Logger.getLogger(Leadership.class);

    private volatile boolean leading;

    /** Whether this replica holds the Lease; always false while leader election is off. */
    public boolean isLeading() {
        return leading;
    }

    @Produces
    @Singleton
    @Unremovable
    LeaderElectionConfiguration configuration(OperatorSettings settings) {
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> leading = true,
                () -> leading = false,
                leader -> LOG.infof("Operator leader is now %s", leader));
        // The namespace is the client's, which in a pod is the pod's own.
        return new LeaderElectionConfiguration(settings.leaseName(), null,
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, identity(), callbacks,
                settings.exitOnLostLeadership());
    }

    /** The pod name, so the Lease says which pod leads, made unique for replicas that share a host name. */
    private static String identity() {
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(name -> !name.isBlank()).orElse("operator");
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
