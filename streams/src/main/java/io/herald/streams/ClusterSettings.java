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
 *
 * <p>A process is named twice. Its pod name ({@link #podName()}, the node id outside Kubernetes)
 * names its Lease and stays the same when the process restarts inside its pod. Its member id
 * ({@link #nodeId()}: pod name, {@code @}, a random incarnation) names it everywhere else: in the
 * Lease's holder, inboxes, interest sets, presence records and shard claims. A restarted process
 * is a new member, so routers can tell its predecessor's state from its own and clean the former
 * up; with the pod name alone, the new process would renew the old Lease and inherit ghosts.
 */
@ApplicationScoped
public class ClusterSettings {

    private static final Logger LOG = Logger.getLogger(ClusterSettings.class);

    /** Between a member id's pod name and its incarnation. */
    public static final String MEMBER_SEPARATOR = "@";

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
    private String podName;
    private String nodeId;

    @PostConstruct
    void init() {
        if (configuredShards < 1 || configuredShards > 16384) {
            throw new IllegalArgumentException("herald.cluster.shards must be between 1 and 16384, was " + configuredShards);
        }
        layout = new StreamLayout(clusterName, clusterNamespace.filter(namespace -> !namespace.isBlank()));
        podName = configuredNodeId.filter(id -> !id.isBlank())
                .orElseGet(() -> role + "-" + UUID.randomUUID().toString().substring(0, 8));
        if (podName.contains(":") || podName.contains(MEMBER_SEPARATOR)) {
            throw new IllegalArgumentException("herald.node.id must contain neither ':' nor '" + MEMBER_SEPARATOR
                    + "', was " + podName);
        }
        nodeId = podName + MEMBER_SEPARATOR + UUID.randomUUID().toString().substring(0, 6);
        RMap<String, String> meta = redis.getMap(layout.meta());
        meta.putIfAbsent("shards", Integer.toString(configuredShards));
        shardCount = Integer.parseInt(meta.get("shards"));
        if (shardCount != configuredShards) {
            LOG.warnf("Cluster '%s' was created with %d shards; ignoring herald.cluster.shards=%d",
                    clusterName, shardCount, configuredShards);
        }
    }

    /** The pod name in a member id: the part before its incarnation. */
    public static String podNameOf(String memberId) {
        int separator = memberId.lastIndexOf(MEMBER_SEPARATOR);
        return separator < 0 ? memberId : memberId.substring(0, separator);
    }

    public StreamLayout layout() {
        return layout;
    }

    public int shardCount() {
        return shardCount;
    }

    /** This process's member id: its pod name and its incarnation. */
    public String nodeId() {
        return nodeId;
    }

    /** The name of this process's pod (its Lease), the same across restarts inside the pod. */
    public String podName() {
        return podName;
    }

    public String clusterName() {
        return clusterName;
    }

    public int shardOf(String app, String channel) {
        return ShardHash.shardOf(app, channel, shardCount);
    }
}
