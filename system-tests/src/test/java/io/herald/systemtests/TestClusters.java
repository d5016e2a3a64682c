package io.herald.systemtests;

import java.nio.file.Path;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.herald.local.LocalApiServer;
import io.herald.local.LocalCluster;
import io.herald.local.LocalClusterOptions;
import io.herald.local.NodeProcess;

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

    /** @param settings environment variables for every gateway and router ({@code HERALD_HISTORY_SIZE}, ...) */
    static LocalCluster start(Class<?> testClass, int gateways, int routers, Duration leaseDuration, Map<String, String> settings) {
        Path home = Path.of(System.getProperty("herald.home", "..")).toAbsolutePath().normalize();
        LocalClusterOptions options = LocalClusterOptions.defaults(home)
                .withGateways(gateways)
                .withRouters(routers)
                .withFirstGatewayPort(0)
                .withLeaseDuration(leaseDuration)
                .withLogDirectory(home.resolve("system-tests/target/cluster-logs/" + testClass.getSimpleName()))
                .withNodeEnvironment(settings);
        return LocalCluster.start(options);
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

    static RedissonClient redis(LocalCluster cluster) {
        Config config = new Config();
        config.useSingleServer().setAddress(cluster.redisUrl());
        return Redisson.create(config);
    }
}
