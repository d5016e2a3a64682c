package io.herald.systemtests;

import java.net.URI;

import io.herald.local.LocalRedis;

/**
 * One real 3-primary Redis Cluster for every test class of the run that wants one, started by local
 * mode's starter on first use and stopped when the test JVM exits: starting a cluster costs more
 * than a test class's Herald processes, and classes run one after another, each on emptied data.
 */
final class SharedRedisCluster {

    static final int PRIMARIES = 3;

    private static LocalRedis cluster;

    private SharedRedisCluster() {
    }

    /** The running cluster with every node's data flushed, so a class starts as on a new cluster. */
    static synchronized LocalRedis emptied() {
        if (cluster == null) {
            cluster = LocalRedis.startCluster(PRIMARIES);
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "redis-cluster-stop"));
        }
        for (String seed : cluster.url().split(",")) {
            LocalRedis.command(URI.create(seed).getPort(), "FLUSHALL");
        }
        return cluster;
    }
}
