package io.herald.systemtests;

import java.nio.file.Path;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.herald.contract.PodSettings;
import io.herald.local.LocalApiServer;
import io.herald.local.LocalCluster;
import io.herald.local.LocalClusterOptions;
import io.herald.local.NodeProcess;
import io.herald.streams.StreamLayout;

/** Starts production-shaped clusters for system tests: every gateway and router its own JVM. */
final class TestClusters {

    private TestClusters() {
    }

    static LocalCluster start(Class<?> testClass, int gateways, int routers) {
        return start(testClass, gateways, routers, LocalClusterOptions.DEFAULT_LEASE_DURATION);
    }

    static LocalCluster start(Class<?> testClass, int gateways, int routers, Duration leaseDuration) {
        return start(testClass, gateways, routers, leaseDuration, Map.of());
    }

    /**
     * A test class that {@link RunsOnRedisCluster} gets the shared 3-primary Redis Cluster
     * ({@link SharedRedisCluster}), emptied first, with the default number of slot groups, so a
     * channel's keys and a gateway's inboxes spread over every primary; the others their own Redis.
     *
     * @param settings environment variables for every gateway and router ({@code HERALD_HISTORY_SIZE}, ...)
     */
    static LocalCluster start(Class<?> testClass, int gateways, int routers, Duration leaseDuration, Map<String, String> settings) {
        LocalClusterOptions options = options(testClass, gateways, routers, leaseDuration).withNodeEnvironment(settings);
        if (RunsOnRedisCluster.class.isAssignableFrom(testClass)) {
            options = options.withRedisUrl(Optional.of(SharedRedisCluster.emptied().url()))
                    .withNodeEnvironment(Map.of(PodSettings.env(PodSettings.REDIS_CLUSTER), "true"));
        }
        return LocalCluster.start(options);
    }

    private static LocalClusterOptions options(Class<?> testClass, int gateways, int routers, Duration leaseDuration) {
        Path home = Path.of(System.getProperty("herald.home", "..")).toAbsolutePath().normalize();
        return LocalClusterOptions.defaults(home)
                .withGateways(gateways)
                .withRouters(routers)
                .withFirstGatewayPort(0)
                .withLeaseDuration(leaseDuration)
                .withLogDirectory(home.resolve("system-tests/target/cluster-logs/" + testClass.getSimpleName()));
    }

    /** A Kubernetes client for the API server the cluster keeps its Leases in. */
    static KubernetesClient kubernetes(LocalCluster cluster) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl(cluster.apiServerUrl().orElseThrow())
                .withNamespace(LocalApiServer.NAMESPACE)
                .build()).build();
    }

    /**
     * The member id a node's process goes by in Redis (inboxes, interest sets): its Lease's
     * holder, the node id plus the process's incarnation. Waits until the Lease names it.
     */
    static String memberId(LocalCluster cluster, NodeProcess node) {
        try (KubernetesClient kubernetes = kubernetes(cluster)) {
            return await().atMost(Duration.ofSeconds(10)).until(() -> {
                Lease lease = kubernetes.leases().inNamespace(LocalApiServer.NAMESPACE).withName(node.nodeId()).get();
                return lease == null ? null : lease.getSpec().getHolderIdentity();
            }, holder -> holder != null && holder.startsWith(node.nodeId() + "@"));
        }
    }

    /** A client of the cluster's Redis: one Redis, or a Redis Cluster whose seeds its URL lists. */
    static RedissonClient redis(LocalCluster cluster) {
        Config config = new Config();
        if (cluster.redisUrl().contains(",")) {
            config.useClusterServers().addNodeAddress(cluster.redisUrl().split(","));
        } else {
            config.useSingleServer().setAddress(cluster.redisUrl());
        }
        return Redisson.create(config);
    }

    /** The key layout the cluster was created with: its shard and slot group counts are in its meta hash. */
    static StreamLayout layout(RedissonClient redis, LocalCluster cluster) {
        String name = cluster.options().clusterName();
        Map<String, String> meta = redis.<String, String>getMap(StreamLayout.meta(name, Optional.empty()), StringCodec.INSTANCE)
                .readAllMap();
        return new StreamLayout(name, Optional.empty(), Integer.parseInt(meta.get("shards")),
                Integer.parseInt(meta.get("slot-groups")));
    }
}
