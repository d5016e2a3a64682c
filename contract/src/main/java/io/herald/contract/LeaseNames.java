package io.herald.contract;

/** Labels and annotations Herald puts on its Leases; the operator reads the same ones. */
public final class LeaseNames {

    public static final String CLUSTER_LABEL = "herald.io/cluster";
    public static final String ROLE_LABEL = "herald.io/role";
    /** On gateway Leases: the gateway's open connections when it last renewed. */
    public static final String CONNECTIONS_ANNOTATION = "herald.io/connections";

    private LeaseNames() {
    }
}
