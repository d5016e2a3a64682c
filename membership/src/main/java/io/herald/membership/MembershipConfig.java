package io.herald.membership;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import io.herald.contract.PodSettings;

/** How a node keeps its Lease; its role and name are {@code StreamsConfig}'s. */
@ConfigMapping(prefix = "herald")
public interface MembershipConfig {

    Lease lease();

    Pod pod();

    interface Lease {
        /** {@link PodSettings#LEASE_DURATION}: how long a member that stopped renewing still counts as alive. */
        @WithDefault("15s")
        Duration duration();
    }

    interface Pod {
        /** {@link PodSettings#POD_UID}: the pod's uid from the downward API, making the pod the owner of the Lease. */
        Optional<String> uid();
    }
}
