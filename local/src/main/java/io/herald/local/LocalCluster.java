package io.herald.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.herald.contract.PodSettings;

/**
 * A real Herald cluster on one machine: Redis, the archive's MongoDB, routers and gateways, each
 * gateway and router a separate process as in production. {@code ./herald local} runs one in the foreground; system
 * tests and benchmarks start their own.
 */
public final class LocalCluster implements AutoCloseable {

    /** Generous: on a shared 2-core machine under load a JVM was seen to take 54 s to become ready. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final LocalClusterOptions options;
    private final LocalRedis redis;
    private final Optional<LocalApiServer> apiServer;
    private final Optional<LocalMongo> mongo;
    // Copy-on-write: a supervisor or a fault may replace a node while others read the lists.
    private final List<NodeProcess> routers = new CopyOnWriteArrayList<>();
    private final List<NodeProcess> gateways = new CopyOnWriteArrayList<>();
    private boolean closing;
    private Supervisor supervisor;

    private LocalCluster(LocalClusterOptions options, LocalRedis redis, Optional<LocalApiServer> apiServer,
            Optional<LocalMongo> mongo) {
        this.options = options;
        this.redis = redis;
        this.apiServer = apiServer;
        this.mongo = mongo;
    }

    /** Starts every part and returns once all gateways and routers are ready. */
    public static LocalCluster start(LocalClusterOptions options) {
        return start(options, cluster -> {
        });
    }

    /**
     * Like {@link #start(LocalClusterOptions)}, and hands the cluster to {@code created} before its
     * routers and gateways start, so that a signal during the start (its longest part is waiting
     * for the nodes to be ready) can {@link #close} what has started, in order. A node that starts
     * after that is {@link ChildProcesses}' to stop: the launcher's hook stops every process left.
     */
    public static LocalCluster start(LocalClusterOptions options, Consumer<LocalCluster> created) {
        for (int i = 0; options.firstGatewayPort() != 0 && i < options.gateways(); i++) {
            int port = options.firstGatewayPort() + i;
            if (!FreePorts.isFree(port)) {
                throw new IllegalStateException("Port " + port + " is in use; choose another first gateway port with --port");
            }
        }
        LocalRedis redis = options.redisUrl().map(LocalRedis::external)
                .orElseGet(() -> options.redisPrimaries() > 0 ? LocalRedis.startCluster(options.redisPrimaries()) : LocalRedis.start());
        Optional<LocalApiServer> apiServer = options.kubeconfig().isPresent() ? Optional.empty() : Optional.of(LocalApiServer.start());
        Optional<LocalMongo> mongo = options.mongoUri().isPresent() ? Optional.empty() : Optional.of(LocalMongo.start());
        LocalCluster cluster = new LocalCluster(options, redis, apiServer, mongo);
        try {
            created.accept(cluster);
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

    /** The Redis of the cluster, for fault injection. */
    public LocalRedis redis() {
        return redis;
    }

    /** The API server that keeps the Leases, when local mode started one; for fault injection. */
    public Optional<LocalApiServer> apiServer() {
        return apiServer;
    }

    /** The URL of the API server that keeps the Leases, when local mode started one. */
    public Optional<String> apiServerUrl() {
        return apiServer.map(LocalApiServer::url);
    }

    /** The MongoDB-wire server of the archive, when local mode started one; for fault injection. */
    public Optional<LocalMongo> mongo() {
        return mongo;
    }

    /** The connection string of the archive's MongoDB that routers and gateways are given. */
    public String mongoUri() {
        return options.mongoUri().orElseGet(() -> mongo.orElseThrow().uri());
    }

    /** Where the archive is kept, for people. */
    public String mongoDescription() {
        return mongo.map(server -> "embedded MongoDB-wire server at " + server.uri() + " (in memory; no TTL expiry)")
                .orElseGet(this::mongoUri);
    }

    /** Where the Leases are kept, for people. */
    public String apiServerDescription() {
        return apiServer.map(server -> "local API server at " + server.url() + " (namespace " + LocalApiServer.NAMESPACE + ")")
                .orElseGet(() -> "the cluster of " + options.kubeconfig().orElseThrow());
    }

    /** Starts another gateway, for tests that add members to a running cluster. */
    public NodeProcess startGateway(String nodeId) {
        return startGateway(nodeId, Map.of());
    }

    /** Starts another gateway with some settings of its own, in environment variables. */
    public NodeProcess startGateway(String nodeId, Map<String, String> settings) {
        Map<String, String> env = environment();
        env.putAll(settings);
        NodeProcess gateway = NodeProcess.start(nodeId, application("gateway"), FreePorts.find(), env,
                options.logDirectory());
        gateways.add(gateway);
        gateway.awaitReady(START_TIMEOUT);
        return gateway;
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

    /** The process that serves under this node id now: restarts replace the one a caller may hold. */
    public NodeProcess node(String nodeId) {
        return nodes().stream().filter(node -> node.nodeId().equals(nodeId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + nodeId));
    }

    /**
     * Restarts a node under the same node id and port, as Kubernetes restarts a container in its
     * pod: stops it (SIGTERM, then SIGKILL after the grace period) unless it is dead already,
     * starts a fresh process and waits until it is ready.
     */
    public NodeProcess restart(NodeProcess node) {
        node.stop(STOP_GRACE);
        NodeProcess fresh = replace(node).orElseThrow(() -> new IllegalStateException(node.nodeId() + " is no longer part of the cluster"));
        fresh.awaitReady(START_TIMEOUT);
        return fresh;
    }

    /**
     * Behaves like a Deployment from now on: a gateway or router that exits is started again under
     * the same node id and port after a back-off, and each restart is reported in one line.
     */
    public synchronized void supervise(Consumer<String> report) {
        if (supervisor == null && !closing) {
            supervisor = Supervisor.start(this, report);
        }
    }

    /** Starts a fresh process in place of a stopped one; empty if the cluster is closing or the node was replaced already. */
    synchronized Optional<NodeProcess> replace(NodeProcess stopped) {
        List<NodeProcess> role = routers.contains(stopped) ? routers : gateways;
        int index = role.indexOf(stopped);
        if (closing || index < 0) {
            return Optional.empty();
        }
        NodeProcess fresh = stopped.startAgain();
        role.set(index, fresh);
        return Optional.of(fresh);
    }

    /** Stops gateways first, so no client is left talking to a cluster without routers, then routers, then MongoDB and Redis. */
    @Override
    public void close() {
        Supervisor watching;
        synchronized (this) {
            if (closing) {
                // A signal during the start closes the cluster; the start's failure then closes it again.
                return;
            }
            closing = true;
            watching = supervisor;
        }
        if (watching != null) {
            watching.stop();
        }
        gateways.forEach(node -> node.stop(STOP_GRACE));
        routers.forEach(node -> node.stop(STOP_GRACE));
        apiServer.ifPresent(LocalApiServer::close);
        mongo.ifPresent(LocalMongo::close);
        redis.close();
    }

    private Path application(String module) {
        return options.home().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put(PodSettings.env(PodSettings.REDIS_URL), redis.url());
        if (redis.isCluster() || options.redisPrimaries() > 0) {
            env.put(PodSettings.env(PodSettings.REDIS_CLUSTER), "true");
        }
        env.put(PodSettings.env(PodSettings.CLUSTER_NAME), options.clusterName());
        env.put(PodSettings.env(PodSettings.APP_ID), options.app().id());
        env.put(PodSettings.env(PodSettings.APP_KEY), options.app().key());
        env.put(PodSettings.env(PodSettings.APP_SECRET), options.app().secret());
        env.put(PodSettings.env(PodSettings.LEASE_DURATION), options.leaseDuration().toSeconds() + "s");
        env.put(PodSettings.env(PodSettings.MONGODB_URI), mongoUri());
        // Gateways drain their connections when stopped; locally nobody waits for that.
        env.put(PodSettings.env(PodSettings.DRAIN_PERIOD), "1s");
        apiServer.ifPresent(server -> {
            env.put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", server.url());
            env.put("QUARKUS_KUBERNETES_CLIENT_NAMESPACE", LocalApiServer.NAMESPACE);
        });
        options.kubeconfig().ifPresent(path -> env.put("KUBECONFIG", path.toAbsolutePath().toString()));
        env.putAll(options.nodeEnvironment());
        return env;
    }
}
