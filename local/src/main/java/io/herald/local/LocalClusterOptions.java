package io.herald.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a local cluster consists of.
 *
 * @param home the repository root, where the packaged gateway and router are found
 * @param redisUrl a Redis to use instead of starting one (on a Redis Cluster: its seed nodes, comma-separated)
 * @param redisPrimaries when above 0, local mode starts a Redis Cluster of that many primaries
 *     instead of one Redis (see {@link LocalRedis#startCluster})
 * @param firstGatewayPort the port of the first gateway, the others following it; 0 for any free ports
 * @param logDirectory where each process writes its output to a file named after it; when empty
 *     the output is echoed with a {@code [node]} prefix
 * @param kubeconfig the cluster whose API server keeps the Leases; when empty, local mode starts
 *     its own (see {@link LocalApiServer})
 * @param leaseDuration how long a silent member stays alive in its peers' eyes
 * @param nodeEnvironment settings for every gateway and router, as environment variables
 *     ({@code HERALD_HISTORY_SIZE}, ...), over the ones local mode sets itself
 * @param mongoUri the MongoDB of the archive; when empty, local mode starts its own (see {@link LocalMongo})
 */
public record LocalClusterOptions(Path home, int gateways, int routers, int firstGatewayPort,
        Optional<String> redisUrl, int redisPrimaries, AppCredentials app, String clusterName, Optional<Path> logDirectory,
        Optional<Path> kubeconfig, Duration leaseDuration, Map<String, String> nodeEnvironment, Optional<String> mongoUri) {

    public static final int DEFAULT_PORT = 6001;
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);

    public LocalClusterOptions {
        nodeEnvironment = Map.copyOf(nodeEnvironment);
        if (gateways < 1) {
            throw new IllegalArgumentException("--gateways must be at least 1, was " + gateways);
        }
        if (routers < 1) {
            throw new IllegalArgumentException("--routers must be at least 1, was " + routers);
        }
        if (leaseDuration.toMillis() < 1000 || leaseDuration.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("the lease duration must be a whole number of seconds, was " + leaseDuration);
        }
        if (redisPrimaries < 0 || redisPrimaries == 1 || redisPrimaries == 2) {
            throw new IllegalArgumentException("--redis-cluster needs at least 3 primaries (Redis Cluster's minimum), was "
                    + redisPrimaries);
        }
        if (firstGatewayPort < 0 || firstGatewayPort + gateways - 1 > 65535) {
            throw new IllegalArgumentException("--port must leave room for " + gateways + " gateway ports, was " + firstGatewayPort);
        }
    }

    public static LocalClusterOptions defaults(Path home) {
        return new LocalClusterOptions(home, 1, 1, DEFAULT_PORT, Optional.empty(), 0, AppCredentials.DEFAULT, "local", Optional.empty(), Optional.empty(), DEFAULT_LEASE_DURATION, Map.of(), Optional.empty());
    }

    public LocalClusterOptions withGateways(int count) {
        return new LocalClusterOptions(home, count, routers, firstGatewayPort, redisUrl, redisPrimaries, app, clusterName, logDirectory, kubeconfig, leaseDuration, nodeEnvironment, mongoUri);
    }

    public LocalClusterOptions withRouters(int count) {
        return new LocalClusterOptions(home, gateways, count, firstGatewayPort, redisUrl, redisPrimaries, app, clusterName, logDirectory, kubeconfig, leaseDuration, nodeEnvironment, mongoUri);
    }

    public LocalClusterOptions withFirstGatewayPort(int port) {
        return new LocalClusterOptions(home, gateways, routers, port, redisUrl, redisPrimaries, app, clusterName, logDirectory, kubeconfig, leaseDuration, nodeEnvironment, mongoUri);
    }

    public LocalClusterOptions withRedisUrl(Optional<String> url) {
        return new LocalClusterOptions(home, gateways, routers, firstGatewayPort, url, redisPrimaries, app, clusterName, logDirectory, kubeconfig, leaseDuration, nodeEnvironment, mongoUri);
    }

    /** A Redis Cluster of that many primaries instead of one Redis; 0 for one Redis. */
    public LocalClusterOptions withRedisCluster(int primaries) {
        return new LocalClusterOptions(home, gateways, routers, firstGatewayPort, redisUrl, primaries, app, clusterName, logDirectory, kubeconfig, leaseDuration, nodeEnvironment, mongoUri);
    }

    public LocalClusterOptions withApp(AppCredentials credentials) {
        return new LocalClusterOptions(home, gateways, routers, firstGatewayPort, redisUrl, redisPrimaries, credentials, clusterName, logDirectory, kubeconfig, leaseDuration, nodeEnvironment, mongoUri);
    }

    public LocalClusterOptions withLogDirectory(Path directory) {
        return new LocalClusterOptions(home, gateways, routers, firstGatewayPort, redisUrl, redisPrimaries, app, clusterName, Optional.of(directory), kubeconfig, leaseDuration, nodeEnvironment, mongoUri);
    }

    public LocalClusterOptions withKubeconfig(Optional<Path> path) {
        return new LocalClusterOptions(home, gateways, routers, firstGatewayPort, redisUrl, redisPrimaries, app, clusterName, logDirectory, path, leaseDuration, nodeEnvironment, mongoUri);
    }

    public LocalClusterOptions withLeaseDuration(Duration duration) {
        return new LocalClusterOptions(home, gateways, routers, firstGatewayPort, redisUrl, redisPrimaries, app, clusterName, logDirectory, kubeconfig, duration, nodeEnvironment, mongoUri);
    }

    /** Adds settings for every gateway and router; a later value for a name wins. */
    public LocalClusterOptions withNodeEnvironment(Map<String, String> settings) {
        Map<String, String> merged = new HashMap<>(nodeEnvironment);
        merged.putAll(settings);
        return new LocalClusterOptions(home, gateways, routers, firstGatewayPort, redisUrl, redisPrimaries, app, clusterName, logDirectory, kubeconfig, leaseDuration, merged, mongoUri);
    }

    public LocalClusterOptions withMongoUri(Optional<String> uri) {
        return new LocalClusterOptions(home, gateways, routers, firstGatewayPort, redisUrl, redisPrimaries, app, clusterName, logDirectory, kubeconfig, leaseDuration, nodeEnvironment, uri);
    }
}
