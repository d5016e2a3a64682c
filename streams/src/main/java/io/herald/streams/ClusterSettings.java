package io.herald.streams;

import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;

import io.herald.contract.PodSettings;

/**
 * Who this process is and what cluster it belongs to. The shard count is fixed when a cluster is
 * created: the first node to start records it in Redis, and every later node uses the recorded
 * value, because a channel that changed shard would lose its single sequencer.
 */
@ApplicationScoped
public class ClusterSettings {

    private static final Logger LOG = Logger.getLogger(ClusterSettings.class);

    @ConfigProperty(name = "herald.cluster.name", defaultValue = "local")
    String clusterName;

    /** Set by the operator to the PushCluster's namespace; empty outside Kubernetes. */
    @ConfigProperty(name = PodSettings.CLUSTER_NAMESPACE)
    java.util.Optional<String> clusterNamespace;

    @ConfigProperty(name = "herald.cluster.shards", defaultValue = "64")
    int configuredShards;

    @ConfigProperty(name = "herald.node.id")
    java.util.Optional<String> configuredNodeId;

    @ConfigProperty(name = "herald.node.role", defaultValue = "node")
    String role;

    @Inject
    RedissonClient redis;

    private StreamLayout layout;
    private int shardCount;
    private String nodeId;

    @PostConstruct
    void init() {
        if (configuredShards < 1 || configuredShards > 16384) {
            throw new IllegalArgumentException("herald.cluster.shards must be between 1 and 16384, was " + configuredShards);
        }
        layout = new StreamLayout(clusterName, clusterNamespace.filter(namespace -> !namespace.isBlank()));
        nodeId = configuredNodeId.filter(id -> !id.isBlank())
                .orElseGet(() -> role + "-" + UUID.randomUUID().toString().substring(0, 8));
        if (nodeId.contains(":")) {
            throw new IllegalArgumentException("herald.node.id must not contain ':', was " + nodeId);
        }
        RMap<String, String> meta = redis.getMap(layout.meta());
        meta.putIfAbsent("shards", Integer.toString(configuredShards));
        shardCount = Integer.parseInt(meta.get("shards"));
        if (shardCount != configuredShards) {
            LOG.warnf("Cluster '%s' was created with %d shards; ignoring herald.cluster.shards=%d",
                    clusterName, shardCount, configuredShards);
        }
    }

    public StreamLayout layout() {
        return layout;
    }

    public int shardCount() {
        return shardCount;
    }

    public String nodeId() {
        return nodeId;
    }

    public String clusterName() {
        return clusterName;
    }

    public int shardOf(String app, String channel) {
        return ShardHash.shardOf(app, channel, shardCount);
    }
}
