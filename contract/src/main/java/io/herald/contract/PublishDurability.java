package io.herald.contract;

/**
 * When a gateway answers a publication: the operator sets {@link #ENV} on gateway pods from the
 * PushCluster, and gateways read it as {@code herald.publish.durability}.
 */
public final class PublishDurability {

    public static final String ENV = "HERALD_PUBLISH_DURABILITY";
    /** Once the Redis primary holds the publication (the default); a failover may still lose it. */
    public static final String IMMEDIATE = "immediate";
    /** Once a Redis replica has confirmed it too ({@code WAIT}), else 503. */
    public static final String REPLICATED = "replicated";

    private PublishDurability() {
    }
}
