package io.herald.streams;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.contract.PodSettings;

/**
 * Who this process is and what cluster it belongs to. The shard count, the slot group count and
 * the key layout are fixed when a cluster is created: the first node to start records them in
 * Redis, and every later node uses the recorded values, because a channel that changed shard would
 * lose its single sequencer, and one that changed slot group would leave its keys behind. A cluster
 * created by a version with another key layout is refused with a clear error rather than half read.
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

    @Inject
    StreamsConfig config;

    @Inject
    RedissonClient redis;

    /**
     * Records the layout, shard count and slot groups of a new cluster and returns the stored ones;
     * {@code shards} without {@code layout} is a cluster from before layouts were recorded (1).
     */
    static final String CREATE_OR_READ = """
            if redis.call('HEXISTS', KEYS[1], 'shards') == 1 and redis.call('HEXISTS', KEYS[1], 'layout') == 0 then
              return {'1', redis.call('HGET', KEYS[1], 'shards'), '1'}
            end
            redis.call('HSETNX', KEYS[1], 'layout', ARGV[1])
            redis.call('HSETNX', KEYS[1], 'shards', ARGV[2])
            redis.call('HSETNX', KEYS[1], 'slot-groups', ARGV[3])
            return {redis.call('HGET', KEYS[1], 'layout'), redis.call('HGET', KEYS[1], 'shards'),
                    redis.call('HGET', KEYS[1], 'slot-groups')}
            """;

    private String clusterName;
    private StreamLayout layout;
    private int shardCount;
    private int slotGroups;
    private String podName;
    private String nodeId;

    @PostConstruct
    void init() {
        clusterName = config.cluster().name();
        int configuredShards = config.cluster().shards();
        Optional<Integer> configuredSlotGroups = config.redis().slotGroups();
        if (configuredShards < 1 || configuredShards > 16384) {
            throw new IllegalArgumentException("herald.cluster.shards must be between 1 and 16384, was " + configuredShards);
        }
        Optional<String> namespace = config.cluster().namespace().filter(name -> !name.isBlank());
        podName = config.node().id().filter(id -> !id.isBlank())
                .orElseGet(() -> config.node().role() + "-" + UUID.randomUUID().toString().substring(0, 8));
        if (podName.contains(":") || podName.contains(MEMBER_SEPARATOR)) {
            throw new IllegalArgumentException("herald.node.id must contain neither ':' nor '" + MEMBER_SEPARATOR
                    + "', was " + podName);
        }
        nodeId = podName + MEMBER_SEPARATOR + UUID.randomUUID().toString().substring(0, 6);
        int wantedGroups = configuredSlotGroups.orElse(config.redis().cluster() ? PodSettings.DEFAULT_CLUSTER_SLOT_GROUPS : 1);
        List<String> stored = redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, CREATE_OR_READ,
                RScript.ReturnType.LIST, List.of(StreamLayout.meta(clusterName, namespace)),
                Integer.toString(StreamLayout.VERSION), Integer.toString(configuredShards),
                Integer.toString(Math.min(wantedGroups, configuredShards)));
        if (!Integer.toString(StreamLayout.VERSION).equals(stored.get(0))) {
            throw new IllegalStateException("Cluster '" + clusterName + "' was created with Redis key layout " + stored.get(0)
                    + "; this version uses layout " + StreamLayout.VERSION + " (hash-tagged keys, see docs/operations.md, "
                    + "\"Running on a Redis Cluster\"). Run the version that created it, or delete the cluster's keys ("
                    + StreamLayout.meta(clusterName, namespace).replaceAll("meta$", "*") + ") to start it anew.");
        }
        shardCount = Integer.parseInt(stored.get(1));
        slotGroups = Integer.parseInt(stored.get(2));
        if (shardCount != configuredShards) {
            LOG.warnf("Cluster '%s' was created with %d shards; ignoring herald.cluster.shards=%d",
                    clusterName, shardCount, configuredShards);
        }
        if (configuredSlotGroups.isPresent() && configuredSlotGroups.get() != slotGroups) {
            LOG.warnf("Cluster '%s' was created with %d slot groups; ignoring %s=%d", clusterName, slotGroups,
                    PodSettings.REDIS_SLOT_GROUPS, configuredSlotGroups.get());
        }
        layout = new StreamLayout(clusterName, namespace, shardCount, slotGroups);
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
