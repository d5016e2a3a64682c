package io.herald.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real Herald cluster on one machine: Redis, routers and gateways, each gateway and router a
 * separate process as in production. {@code ./herald local} runs one in the foreground; system
 * tests and benchmarks start their own.
 */
public final class LocalCluster implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final LocalClusterOptions options;
    private final LocalRedis redis;
    private final List<NodeProcess> routers = new ArrayList<>();
    private final List<NodeProcess> gateways = new ArrayList<>();

    private LocalCluster(LocalClusterOptions options, LocalRedis redis) {
        this.options = options;
        this.redis = redis;
    }

    /** Starts every part and returns once all gateways and routers are ready. */
    public static LocalCluster start(LocalClusterOptions options) {
        for (int i = 0; options.firstGatewayPort() != 0 && i < options.gateways(); i++) {
            int port = options.firstGatewayPort() + i;
            if (!FreePorts.isFree(port)) {
                throw new IllegalStateException("Port " + port + " is in use; choose another first gateway port with --port");
            }
        }
        LocalRedis redis = options.redisUrl().map(LocalRedis::external).orElseGet(LocalRedis::start);
        LocalCluster cluster = new LocalCluster(options, redis);
        try {
            for (int i = 1; i <= options.routers(); i++) {
                cluster.routers.add(NodeProcess.start("router-" + i, cluster.application("router"), FreePorts.find(),
                        cluster.environment(), options.logDirectory()));
            }
            for (int i = 1; i <= options.gateways(); i++) {
                int port = options.firstGatewayPort() == 0 ? FreePorts.find() : options.firstGatewayPort() + i - 1;
                cluster.gateways.add(NodeProcess.start("gateway-" + i, cluster.application("gateway"), port,
                        cluster.environment(), options.logDirectory()));
            }
            for (NodeProcess node : cluster.nodes()) {
                node.awaitReady(START_TIMEOUT);
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String redisUrl() {
        return redis.url();
    }

    public String redisDescription() {
        return redis.description();
    }

    public LocalClusterOptions options() {
        return options;
    }

    public List<NodeProcess> gateways() {
        return List.copyOf(gateways);
    }

    public List<NodeProcess> routers() {
        return List.copyOf(routers);
    }

    /** Every gateway and router process. */
    public List<NodeProcess> nodes() {
        List<NodeProcess> all = new ArrayList<>(routers);
        all.addAll(gateways);
        return all;
    }

    /** The first process that ended although nobody stopped it. */
    public Optional<NodeProcess> firstDead() {
        return nodes().stream().filter(node -> !node.isAlive()).findFirst();
    }

    /** Stops gateways first, so no client is left talking to a cluster without routers, then routers, then Redis. */
    @Override
    public void close() {
        gateways.forEach(node -> node.stop(STOP_GRACE));
        routers.forEach(node -> node.stop(STOP_GRACE));
        redis.close();
    }

    private Path application(String module) {
        return options.home().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("HERALD_REDIS_URL", redis.url());
        env.put("HERALD_CLUSTER_NAME", options.clusterName());
        env.put("HERALD_APP_ID", options.app().id());
        env.put("HERALD_APP_KEY", options.app().key());
        env.put("HERALD_APP_SECRET", options.app().secret());
        return env;
    }
}
