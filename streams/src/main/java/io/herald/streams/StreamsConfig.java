package io.herald.streams;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import io.herald.contract.PodSettings;

/**
 * The settings every gateway and router reads to reach Redis and its cluster, in one place so
 * that each has one name and one default. The names the operator sets are also constants in
 * {@link PodSettings}; {@code StreamsConfigTest} checks that the two agree.
 */
@ConfigMapping(prefix = "herald")
public interface StreamsConfig {

    Cluster cluster();

    Node node();

    Redis redis();

    Publish publish();

    interface Cluster {
        /** Part of every Redis key: several Herald clusters can share one Redis. */
        @WithDefault("local")
        String name();

        /** Set by the operator to the PushCluster's namespace; unset outside Kubernetes. */
        Optional<String> namespace();

        /** Used only by the node that creates the cluster; later nodes adopt the recorded count. */
        @WithDefault("64")
        int shards();
    }

    interface Node {
        /** The pod name; a random one per process when unset (tests, local runs). */
        Optional<String> id();

        @WithDefault("node")
        String role();
    }

    interface Redis {
        /** A {@code rediss://} URL connects with TLS; on a Redis Cluster, seed nodes separated by commas. */
        @WithDefault("redis://127.0.0.1:6379")
        String url();

        /** {@link PodSettings#REDIS_CLUSTER}. */
        @WithDefault("false")
        boolean cluster();

        Optional<String> password();

        /**
         * Threads that run Redis I/O and the callbacks of async calls (the gateway's deliveries
         * among them). Redisson's default of 32 spreads work over far more threads than a pod has
         * cores.
         */
        @WithDefault("4")
        int nettyThreads();

        /** {@link PodSettings#REDIS_SLOT_GROUPS}; unset, 1 on one Redis and a default on a Redis Cluster. */
        Optional<Integer> slotGroups();
    }

    interface Publish {
        /** {@link PodSettings#PUBLISH_DURABILITY}. */
        @WithDefault(PodSettings.DURABILITY_IMMEDIATE)
        String durability();

        /** How long a replicated publication waits for a replica before it is answered as not confirmed. */
        @WithDefault("1s")
        Duration replicationTimeout();
    }
}
