package io.herald.contract;

import java.util.Locale;

/**
 * Settings the operator hands to gateway and router pods as environment variables. The pods read
 * them as MicroProfile Config properties under these names, so each name is written once, here,
 * and {@link #env} derives the variable the way MicroProfile Config maps it back.
 */
public final class PodSettings {

    /** The PushCluster's namespace: part of every Redis key, so equal cluster names never share keys. */
    public static final String CLUSTER_NAMESPACE = "herald.cluster.namespace";
    /** {@link #DURABILITY_IMMEDIATE} or {@link #DURABILITY_REPLICATED}: whether a publish waits for a Redis replica. */
    public static final String PUBLISH_DURABILITY = "herald.publish.durability";
    /** Answered once the Redis primary holds the publication (the default); a failover may still lose it. */
    public static final String DURABILITY_IMMEDIATE = "immediate";
    /** Answered once a Redis replica confirmed it too ({@code WAIT}), else 503. */
    public static final String DURABILITY_REPLICATED = "replicated";
    /** Open connections one client address may hold on a gateway; 0 for no limit. */
    public static final String CONNECTIONS_PER_ADDRESS = "herald.limits.connections-per-address";
    /** The MongoDB connection string of the archive: routers write it, gateways read history from it. Unset: no archive. */
    public static final String MONGODB_URI = "herald.mongodb.uri";

    /** {@code true} serves the web console ({@code /console/}) on gateways; off unless asked for. */
    public static final String CONSOLE_ENABLED = "herald.console.enabled";

    /**
     * {@code true} when {@code herald.redis.url} names a seed node of a Redis Cluster (or Valkey
     * cluster), several seeds separated by commas; {@code false} (the default) for one Redis.
     */
    public static final String REDIS_CLUSTER = "herald.redis.cluster";
    /**
     * How many slot groups (hash tags) a new cluster's shards are spread over: 1 on one Redis, by
     * default {@value #DEFAULT_CLUSTER_SLOT_GROUPS} on a Redis Cluster. Fixed when the Herald cluster
     * is created (its meta hash keeps it), like the shard count.
     */
    public static final String REDIS_SLOT_GROUPS = "herald.redis.slot-groups";
    /** Slot groups of a new Herald cluster on a Redis Cluster: two per primary of a 3-primary cluster. */
    public static final int DEFAULT_CLUSTER_SLOT_GROUPS = 6;

    private PodSettings() {
    }

    /** The environment variable MicroProfile Config reads for the property: {@code herald.a-b} is {@code HERALD_A_B}. */
    public static String env(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
