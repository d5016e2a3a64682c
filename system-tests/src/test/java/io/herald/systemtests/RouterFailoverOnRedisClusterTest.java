package io.herald.systemtests;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link RouterFailoverTest} on a 3-primary Redis Cluster ({@link SharedRedisCluster}): the same clients and
 * assertions, with the shards spread over the primaries in slot groups. Its {@code startCluster}
 * hides the parent's, so JUnit starts only this cluster.
 */
class RouterFailoverOnRedisClusterTest extends RouterFailoverTest {

    @BeforeAll
    static void startCluster() {
        cluster = TestClusters.startOnRedisCluster(RouterFailoverOnRedisClusterTest.class, 2, 2, LEASE);
    }
}
