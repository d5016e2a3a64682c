package io.herald.contract;

/** Labels and annotations Herald puts on its Leases; the operator reads the same ones. */
public final class LeaseNames {

    public static final String CLUSTER_LABEL = "herald.io/cluster";
    public static final String ROLE_LABEL = "herald.io/role";
    /** On gateway Leases: the gateway's open connections when it last renewed. */
    public static final String CONNECTIONS_ANNOTATION = "herald.io/connections";

    /**
     * On router Leases, while the router archives to MongoDB: {@link #ARCHIVE_HEALTHY},
     * {@link #ARCHIVE_MONGO_UNREACHABLE} or {@link #ARCHIVE_BACKLOG_FULL}. Absent when the archive is off.
     */
    public static final String ARCHIVE_STATE_ANNOTATION = "herald.io/archive-state";
    /** On router Leases: entries of its archive streams not yet in MongoDB, summed over its shards. */
    public static final String ARCHIVE_BACKLOG_ANNOTATION = "herald.io/archive-backlog";
    /** On router Leases: when MongoDB last confirmed a write (RFC 3339), empty before the first. */
    public static final String ARCHIVE_LAST_WRITE_ANNOTATION = "herald.io/archive-last-write";
    /** On router Leases: since when writes to MongoDB fail (RFC 3339), empty while they succeed. */
    public static final String ARCHIVE_FAILING_SINCE_ANNOTATION = "herald.io/archive-failing-since";
    /** On router Leases: what is wrong with the archive, in a sentence; empty while it is healthy. */
    public static final String ARCHIVE_MESSAGE_ANNOTATION = "herald.io/archive-message";
    /** Writes succeed and every backlog is below its budget. */
    public static final String ARCHIVE_HEALTHY = "Healthy";
    /** Writes to MongoDB fail; the archive streams hold the backlog. */
    public static final String ARCHIVE_MONGO_UNREACHABLE = "MongoUnreachable";
    /** A shard's backlog reached its budget: its oldest unarchived entries are being dropped. */
    public static final String ARCHIVE_BACKLOG_FULL = "BacklogFull";

    private LeaseNames() {
    }
}
