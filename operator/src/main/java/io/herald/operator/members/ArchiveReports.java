package io.herald.operator.members;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.herald.contract.LeaseNames;

/**
 * What the routers report about their MongoDB archive in their Leases (see {@link LeaseNames}):
 * one report per live router that archives. A router without the annotations has the archive off
 * (no URI) or has not renewed since it started archiving.
 */
public final class ArchiveReports {

    /** One router's archive: its state, its backlog in entries, and what is wrong, if anything. */
    public record Report(String router, String state, long backlog, String failingSince, String message) {

        public boolean healthy() {
            return LeaseNames.ARCHIVE_HEALTHY.equals(state);
        }
    }

    private ArchiveReports() {
    }

    /** The reports of the routers among the live Leases, in Lease order. */
    public static List<Report> of(Collection<Lease> liveRouters) {
        return liveRouters.stream().flatMap(lease -> report(lease).stream()).toList();
    }

    /** Whether two versions of a Lease report a different archive state: worth a reconcile. */
    public static boolean stateChanged(Lease old, Lease updated) {
        return !annotation(old, LeaseNames.ARCHIVE_STATE_ANNOTATION).equals(annotation(updated, LeaseNames.ARCHIVE_STATE_ANNOTATION));
    }

    private static Optional<Report> report(Lease lease) {
        return annotation(lease, LeaseNames.ARCHIVE_STATE_ANNOTATION).map(state -> new Report(lease.getMetadata().getName(),
                state, backlog(lease), annotation(lease, LeaseNames.ARCHIVE_FAILING_SINCE_ANNOTATION).orElse(""),
                annotation(lease, LeaseNames.ARCHIVE_MESSAGE_ANNOTATION).orElse("")));
    }

    private static long backlog(Lease lease) {
        try {
            return Math.max(0, Long.parseLong(annotation(lease, LeaseNames.ARCHIVE_BACKLOG_ANNOTATION).orElse("0").trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Optional<String> annotation(Lease lease, String name) {
        return Optional.ofNullable(lease.getMetadata().getAnnotations()).map(annotations -> annotations.get(name))
                .filter(value -> !value.isBlank());
    }
}
