package io.herald.operator.members;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.herald.contract.LeaseNames;

/**
 * The Leases a cluster's pods keep, as the operator reads them.
 *
 * <p>A Lease counts as live while its holder renewed it within its duration by the operator's
 * clock. This trusts the renewer's timestamp, unlike the routers' own membership, which judges by
 * observation time: here a misjudged Lease only shifts a load estimate or a status line, never a
 * shard's owner, and the operator stays stateless across restarts.
 */
public final class PodLeases {

    private PodLeases() {
    }

    /** Live Leases of one role ("gateway" or "router"). */
    public static List<Lease> live(Collection<Lease> leases, String role, Instant now) {
        return leases.stream()
                .filter(lease -> role.equals(Optional.ofNullable(lease.getMetadata().getLabels())
                        .map(labels -> labels.get(LeaseNames.ROLE_LABEL)).orElse(null)))
                .filter(lease -> isLive(lease, now))
                .toList();
    }

    static boolean isLive(Lease lease, Instant now) {
        var spec = lease.getSpec();
        if (spec == null || spec.getHolderIdentity() == null || spec.getHolderIdentity().isBlank()
                || spec.getRenewTime() == null) {
            return false;
        }
        int duration = Optional.ofNullable(spec.getLeaseDurationSeconds()).orElse(15);
        return !spec.getRenewTime().toInstant().plus(Duration.ofSeconds(duration)).isBefore(now);
    }

    /** The connection count a gateway wrote into its Lease; 0 when absent or unreadable. */
    public static long connections(Lease lease) {
        String value = Optional.ofNullable(lease.getMetadata().getAnnotations())
                .map(annotations -> annotations.get(LeaseNames.CONNECTIONS_ANNOTATION)).orElse("0");
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
