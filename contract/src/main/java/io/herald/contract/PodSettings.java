package io.herald.contract;

import java.util.Locale;

/**
 * Settings the operator (and the local launcher) hand to gateway and router processes as
 * environment variables. The processes read them as MicroProfile Config properties under these
 * names, so each name is written once, here, and {@link #env} derives the variable the way
 * MicroProfile Config maps it back. Each module's config mapping reads them; its test checks that
 * it does under these names.
 */
public final class PodSettings {

    /** The Herald cluster's name: part of every Redis key and of every Lease's name. */
    public static final String CLUSTER_NAME = "herald.cluster.name";
    /** Shards of a new cluster; a cluster keeps the count it was created with. */
    public static final String CLUSTER_SHARDS = "herald.cluster.shards";
    /** The pod's name (a node's name outside Kubernetes): names its Lease. */
    public static final String NODE_ID = "herald.node.id";
    /** The pod's uid, from the downward API: the pod owns its Lease, which goes with it. */
    public static final String POD_UID = "herald.pod.uid";
    /** How long a member that stopped renewing its Lease still counts as alive, in whole seconds ({@code 15s}). */
    public static final String LEASE_DURATION = "herald.lease.duration";
    /** {@code redis://} or {@code rediss://} and the address; on a Redis Cluster, seed nodes separated by commas. */
    public static final String REDIS_URL = "herald.redis.url";
    /** Redis's password, when it asks for one. */
    public static final String REDIS_PASSWORD = "herald.redis.password";
    /** Gateways' single app, when no apps Secret is mounted (local mode). */
    public static final String APP_ID = "herald.app.id";
    public static final String APP_KEY = "herald.app.key";
    public static final String APP_SECRET = "herald.app.secret";
    /** How long a stopping gateway spreads its connections' reconnects over. */
    public static final String DRAIN_PERIOD = "herald.drain.period";
    /** The Secret, in the cluster's namespace, that the operator writes the cluster's apps into and gateways watch. */
    public static final String APPS_SECRET = "herald.apps.secret";
    /** Connections one gateway holds at most; 0 for no limit. */
    public static final String GATEWAY_MAX_CONNECTIONS = "herald.gateway.max-connections";

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
