package io.herald.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.herald.local.AppCredentials;
import io.herald.local.LocalCluster;
import io.herald.local.LocalClusterOptions;
import io.herald.local.LocalRedis;
import io.herald.local.NodeProcess;

/**
 * The cluster under test, started with the local-mode launcher: Redis, one router and N gateways,
 * each its own process on free loopback ports, their output in log files so that it does not mix
 * with the report.
 */
final class BenchmarkCluster implements AutoCloseable {

    static final AppCredentials APP = AppCredentials.DEFAULT;
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private final LocalCluster cluster;
    private final Path logDirectory;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();

    private BenchmarkCluster(LocalCluster cluster, Path logDirectory) {
        this.cluster = cluster;
        this.logDirectory = logDirectory;
    }

    /**
     * @param nodeEnvironment settings for every gateway and router, as environment variables
     * @param redisPrimaries above 0, a Redis Cluster of that many primaries instead of one Redis
     */
    static BenchmarkCluster start(Path home, int gateways, String scenario, Map<String, String> nodeEnvironment,
            int redisPrimaries) {
        for (String module : List.of("gateway", "router")) {
            if (!Files.isRegularFile(home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar"))) {
                throw new IllegalStateException(module + " is not built under " + home
                        + ": run ./mvnw -B -q install -DskipTests first (or pass -Dherald.home=<repository root>)");
            }
        }
        Path logs = home.resolve("benchmark/target/cluster-logs")
                .resolve(scenario + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        LocalClusterOptions options = LocalClusterOptions.defaults(home)
                .withGateways(gateways)
                .withFirstGatewayPort(0)
                .withApp(APP)
                .withRedisUrl(Optional.empty())
                .withRedisCluster(redisPrimaries)
                .withLogDirectory(logs)
                .withNodeEnvironment(nodeEnvironment);
        BenchmarkCluster cluster = new BenchmarkCluster(LocalCluster.start(options), logs);
        try {
            cluster.settle();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * Ready is not yet steady: right after start each node is still JIT-compiling and renewing its
     * Lease for the first time, and on a loaded 2-core machine a slow first renewal was seen to
     * cost a gateway its membership a few seconds later (it then refuses connections with 4200).
     * Waiting a little keeps that start-up effect out of the measurement.
     */
    private void settle() {
        System.err.printf("Letting the cluster settle for %d s%n", SETTLE.toSeconds());
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            cluster.nodes().stream().filter(node -> !node.isAlive() && !stopped.contains(node.nodeId())).findFirst()
                    .ifPresent(dead -> {
                        throw new IllegalStateException(dead.nodeId() + " exited with code " + dead.process().exitValue()
                                + "; see " + logDirectory);
                    });
            Waits.sleep(500);
        }
    }

    /**
     * Starts another gateway with settings of its own (environment variables such as
     * {@code HERALD_DRAIN_PERIOD}) and lets the cluster settle again, as after the start.
     */
    NodeProcess startGateway(String nodeId, Map<String, String> settings) {
        NodeProcess gateway = cluster.startGateway(nodeId, settings);
        settle();
        return gateway;
    }

    /** Asks a node to stop (SIGTERM) without waiting, as Kubernetes does; its exit is then no failure of the run. */
    void terminate(NodeProcess node) {
        stopped.add(node.nodeId());
        node.process().destroy();
    }

    NodeProcess gateway(int index) {
        return cluster.gateways().get(index);
    }

    int gatewayCount() {
        return cluster.gateways().size();
    }

    Path logDirectory() {
        return logDirectory;
    }

    /** The local cluster itself, for scenarios that reach its Redis or MongoDB. */
    LocalCluster local() {
        return cluster;
    }

    String redisDescription() {
        return cluster.redisDescription();
    }

    /** The cluster's Redis, for reading what it holds ({@code redis-cli}). */
    LocalRedis redis() {
        return cluster.redis();
    }

    /**
     * Every process of the run by label, this JVM (the load generator) included, for CPU
     * accounting. Redis is found among this JVM's children when the launcher started one.
     */
    Map<String, Long> processes() {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (NodeProcess gateway : cluster.gateways()) {
            if (gateway.isAlive()) {
                pids.put(gateway.nodeId(), gateway.process().pid());
            }
        }
        for (NodeProcess router : cluster.routers()) {
            pids.put(router.nodeId(), router.process().pid());
        }
        ProcessHandle.current().descendants()
                .filter(process -> process.info().command().orElse("").contains("redis"))
                .findFirst()
                .ifPresent(redis -> pids.put("redis", redis.pid()));
        pids.put("load-generator", ProcessHandle.current().pid());
        return pids;
    }

    /** Stops every process of the cluster; safe to call twice (the shutdown hook may race the normal end). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            cluster.close();
        }
    }
}
