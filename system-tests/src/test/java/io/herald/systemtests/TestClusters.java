package io.herald.systemtests;

import java.nio.file.Path;

import io.herald.local.LocalCluster;
import io.herald.local.LocalClusterOptions;

/** Starts production-shaped clusters for system tests: every gateway and router its own JVM. */
final class TestClusters {

    private TestClusters() {
    }

    static LocalCluster start(Class<?> testClass, int gateways, int routers) {
        Path home = Path.of(System.getProperty("herald.home", "..")).toAbsolutePath().normalize();
        LocalClusterOptions options = LocalClusterOptions.defaults(home)
                .withGateways(gateways)
                .withRouters(routers)
                .withFirstGatewayPort(0)
                .withLogDirectory(home.resolve("system-tests/target/cluster-logs/" + testClass.getSimpleName()));
        return LocalCluster.start(options);
    }
}
