package io.herald.membership;

import java.time.Duration;
import java.util.Optional;

/**
 * How one process keeps its Lease.
 *
 * @param name the Lease's name: the pod name, or the node id outside Kubernetes
 * @param holder the holder identity this process writes: its member id, which changes with every
 *     process start, so that peers see a restarted process as a new member
 * @param podUid the pod's uid, to make the pod the Lease's owner so that deleting the pod deletes it
 * @param duration how long peers wait, without seeing a renewal, before they judge the holder gone
 */
public record LeaseSettings(String namespace, String clusterName, Role role, String name, String holder,
        Duration duration, Optional<String> podUid) {

    public LeaseSettings {
        // Leases count their duration in whole seconds.
        if (duration.toMillis() < 1000 || duration.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("lease duration must be a whole number of seconds, at least 1, was " + duration);
        }
    }

    /** Renewals come three times per duration, so one or two failed attempts do not lose the Lease. */
    public Duration renewInterval() {
        return duration.dividedBy(3);
    }

    /**
     * A holder that has not renewed for this long must stop acting as a member: two thirds of the
     * duration, so it stops well before any peer may judge it gone.
     */
    public Duration renewDeadline() {
        return duration.multipliedBy(2).dividedBy(3);
    }
}
