package io.herald.streams;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.redisson.api.RedissonClient;

import io.herald.local.TestConfigMappings;

/** A process's Redis client and cluster settings made as the beans make them, for tests without Quarkus. */
final class TestNodes {

    private TestNodes() {
    }

    /** The module's settings from these properties, defaults for the rest. */
    static StreamsConfig config(Map<String, String> properties) {
        return TestConfigMappings.fromProperties(StreamsConfig.class, properties);
    }

    /** The client a gateway or router makes for one Redis at the URL. */
    static RedissonClient client(String url) {
        RedisClientProducer producer = new RedisClientProducer();
        producer.config = config(Map.of("herald.redis.url", url, "herald.redis.netty-threads", "2"));
        return producer.redisson();
    }

    /** A node of the cluster, started: it records or adopts the cluster's shape in Redis. */
    static ClusterSettings settings(RedissonClient redis, String clusterName, int shards, Optional<Integer> slotGroups,
            String nodeId, String role) {
        Map<String, String> properties = new HashMap<>(Map.of("herald.cluster.name", clusterName,
                "herald.cluster.shards", Integer.toString(shards), "herald.node.id", nodeId, "herald.node.role", role));
        slotGroups.ifPresent(groups -> properties.put("herald.redis.slot-groups", groups.toString()));
        ClusterSettings cluster = new ClusterSettings();
        cluster.config = config(properties);
        cluster.redis = redis;
        cluster.init();
        return cluster;
    }
}
