package io.herald.systemtests;

import io.herald.local.LocalClusterOptions;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link RecoveryTest} on a 3-primary Redis Cluster ({@link SharedRedisCluster}): the same clients and
 * assertions, with the shards spread over the primaries in slot groups. Its {@code startCluster}
 * hides the parent's, so JUnit starts only this cluster.
 */
class RecoveryOnRedisClusterTest extends RecoveryTest {

    @BeforeAll
    static void startCluster() {
        cluster = TestClusters.startOnRedisCluster(RecoveryOnRedisClusterTest.class, 2, 1, LocalClusterOptions.DEFAULT_LEASE_DURATION);
    }
}
