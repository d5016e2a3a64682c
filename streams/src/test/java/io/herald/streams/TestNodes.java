package io.herald.streams;

import java.util.Optional;

import org.redisson.api.RedissonClient;

/** A process's Redis client and cluster settings made as the beans make them, for tests without Quarkus. */
final class TestNodes {

    private TestNodes() {
    }

    /** The client a gateway or router makes for one Redis at the URL. */
    static RedissonClient client(String url) {
        RedisClientProducer producer = new RedisClientProducer();
        producer.url = url;
        producer.password = Optional.empty();
        producer.nettyThreads = 2;
        return producer.redisson();
    }

    /** A node of the cluster, started: it records or adopts the cluster's shape in Redis. */
    static ClusterSettings settings(RedissonClient redis, String clusterName, int shards, Optional<Integer> slotGroups,
            String nodeId, String role) {
        ClusterSettings cluster = new ClusterSettings();
        cluster.clusterName = clusterName;
        cluster.clusterNamespace = Optional.empty();
        cluster.configuredShards = shards;
        cluster.configuredSlotGroups = slotGroups;
        cluster.configuredNodeId = Optional.of(nodeId);
        cluster.role = role;
        cluster.redis = redis;
        cluster.init();
        return cluster;
    }
}
