package io.herald.router.archive;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.herald.contract.LeaseNames;
import io.herald.membership.LeaseAnnotations;

/**
 * How this router's archive is doing, as the operator reads it from the router's Lease: its state,
 * its backlog, when MongoDB last confirmed a write and since when writes fail. Written by the
 * archiver's thread, read by the Lease's; nothing is reported while the archive is off.
 */
@ApplicationScoped
public class ArchiveHealth implements LeaseAnnotations {

    private volatile boolean enabled;
    private volatile long backlog;
    private volatile Set<Integer> fullShards = Set.of();
    private volatile Instant lastWrite;
    private volatile Instant failingSince;
    private volatile String failure;

    void enable() {
        enabled = true;
    }

    /** MongoDB confirmed a write (or index creation): whatever failed before is over. */
    synchronized void succeeded(Instant at) {
        lastWrite = at;
        failingSince = null;
        failure = null;
    }

    /** A write to MongoDB failed; the first failure of a run of them dates the outage. */
    synchronized void failed(Instant at, String message) {
        if (failingSince == null) {
            failingSince = at;
        }
        failure = message;
    }

    /** The backlog measured over the shards this router owns, and those whose backlog reached the budget. */
    void backlog(long entries, Set<Integer> full) {
        backlog = entries;
        fullShards = Set.copyOf(full);
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean backlogFull() {
        return !fullShards.isEmpty();
    }

    public String state() {
        if (!fullShards.isEmpty()) {
            return LeaseNames.ARCHIVE_BACKLOG_FULL;
        }
        return failingSince != null ? LeaseNames.ARCHIVE_MONGO_UNREACHABLE : LeaseNames.ARCHIVE_HEALTHY;
    }

    public long backlog() {
        return backlog;
    }

    public Optional<Instant> lastWrite() {
        return Optional.ofNullable(lastWrite);
    }

    public Optional<Instant> failingSince() {
        return Optional.ofNullable(failingSince);
    }

    @Override
    public synchronized Map<String, String> leaseAnnotations() {
        if (!enabled) {
            return Map.of();
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(LeaseNames.ARCHIVE_STATE_ANNOTATION, state());
        annotations.put(LeaseNames.ARCHIVE_BACKLOG_ANNOTATION, Long.toString(backlog));
        annotations.put(LeaseNames.ARCHIVE_LAST_WRITE_ANNOTATION, lastWrite == null ? "" : lastWrite.toString());
        annotations.put(LeaseNames.ARCHIVE_FAILING_SINCE_ANNOTATION, failingSince == null ? "" : failingSince.toString());
        annotations.put(LeaseNames.ARCHIVE_MESSAGE_ANNOTATION, message());
        return annotations;
    }

    private String message() {
        StringBuilder message = new StringBuilder();
        if (!fullShards.isEmpty()) {
            message.append("The archive backlog of shards ").append(fullShards)
                    .append(" reached its budget; their oldest unarchived events are being dropped. ");
        }
        if (failingSince != null) {
            message.append("Writes to MongoDB fail since ").append(failingSince).append(": ").append(failure);
        }
        return message.toString().trim();
    }
}
