package io.herald.local;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a local cluster consists of.
 *
 * @param home the repository root, where the packaged gateway and router are found
 * @param redisUrl a Redis to use instead of starting one
 * @param firstGatewayPort the port of the first gateway, the others following it; 0 for any free ports
 * @param logDirectory where each process writes its output to a file named after it; when empty
 *     the output is echoed with a {@code [node]} prefix
 */
public record LocalClusterOptions(Path home, int gateways, int routers, int firstGatewayPort,
        Optional<String> redisUrl, AppCredentials app, String clusterName, Optional<Path> logDirectory) {

    public static final int DEFAULT_PORT = 6001;

    public LocalClusterOptions {
        if (gateways < 1) {
            throw new IllegalArgumentException("--gateways must be at least 1, was " + gateways);
        }
        if (routers < 1) {
            throw new IllegalArgumentException("--routers must be at least 1, was " + routers);
        }
        if (routers > 1) {
            throw new IllegalArgumentException("--routers " + routers + ": this Herald version runs one router; "
                    + "several routers need shard ownership through Leases, which is not built yet");
        }
        if (firstGatewayPort < 0 || firstGatewayPort + gateways - 1 > 65535) {
            throw new IllegalArgumentException("--port must leave room for " + gateways + " gateway ports, was " + firstGatewayPort);
        }
    }

    public static LocalClusterOptions defaults(Path home) {
        return new LocalClusterOptions(home, 1, 1, DEFAULT_PORT, Optional.empty(), AppCredentials.DEFAULT, "local", Optional.empty());
    }

    public LocalClusterOptions withGateways(int count) {
        return new LocalClusterOptions(home, count, routers, firstGatewayPort, redisUrl, app, clusterName, logDirectory);
    }

    public LocalClusterOptions withRouters(int count) {
        return new LocalClusterOptions(home, gateways, count, firstGatewayPort, redisUrl, app, clusterName, logDirectory);
    }

    public LocalClusterOptions withFirstGatewayPort(int port) {
        return new LocalClusterOptions(home, gateways, routers, port, redisUrl, app, clusterName, logDirectory);
    }

    public LocalClusterOptions withRedisUrl(Optional<String> url) {
        return new LocalClusterOptions(home, gateways, routers, firstGatewayPort, url, app, clusterName, logDirectory);
    }

    public LocalClusterOptions withApp(AppCredentials credentials) {
        return new LocalClusterOptions(home, gateways, routers, firstGatewayPort, redisUrl, credentials, clusterName, logDirectory);
    }

    public LocalClusterOptions withLogDirectory(Path directory) {
        return new LocalClusterOptions(home, gateways, routers, firstGatewayPort, redisUrl, app, clusterName,
                Optional.of(directory));
    }
}
