package io.herald.streams;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;


/**
 * Notices when Redis lost the cluster's data: a restart without persistence, a {@code FLUSHALL},
 * a failover to a replica that missed writes. Consumer groups, shard claims, interest sets and
 * presence would then be gone or older than what the processes hold in memory, and each side
 * must rebuild them (routers claim again, gateways announce again what their sockets hold).
 *
 * <p>The mark is a random id in the cluster's meta hash ({@code dataset}), written by the first
 * process that finds none. A process that finds a different id, or none, than the one it knows
 * is looking at data that lost what it wrote before: it writes a new id if there is none, adopts
 * the stored one, and reports the loss once.
 *
 * <p>Users read {@link #known()} when they start: the bean is created lazily, and created at its
 * first check it would adopt the id of a Redis that had already lost its data, and never notice.
 */
@ApplicationScoped
public class DatasetWatch {

    private static final Logger LOG = Logger.getLogger(DatasetWatch.class);

    /** Returns the stored dataset id, writing ARGV[1] (and the cluster's shape) if there is none. */
    private static final String ADOPT = """
            redis.call('HSETNX', KEYS[1], 'shards', ARGV[2])
            redis.call('HSETNX', KEYS[1], 'slot-groups', ARGV[3])
            redis.call('HSETNX', KEYS[1], 'layout', ARGV[4])
            redis.call('HSETNX', KEYS[1], 'dataset', ARGV[1])
            return redis.call('HGET', KEYS[1], 'dataset')
            """;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    private volatile String known;

    @PostConstruct
    void init() {
        known = adopt();
    }

    /** The dataset id this process works in. */
    public String known() {
        return known;
    }

    /**
     * Compares the stored dataset id with the one this process knows.
     *
     * @return true once per loss: Redis no longer holds the data this process saw
     */
    public synchronized boolean lost() {
        String stored = adopt();
        if (stored.equals(known)) {
            return false;
        }
        LOG.errorf("Redis lost the data of cluster %s (dataset %s is now %s): rebuilding this %s's state in it",
                cluster.clusterName(), known, stored, cluster.nodeId());
        known = stored;
        return true;
    }

    private String adopt() {
        return redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, ADOPT, RScript.ReturnType.VALUE,
                List.of(cluster.layout().meta()), UUID.randomUUID().toString(), Integer.toString(cluster.shardCount()),
                Integer.toString(cluster.layout().slotGroups()), Integer.toString(StreamLayout.VERSION));
    }
}
