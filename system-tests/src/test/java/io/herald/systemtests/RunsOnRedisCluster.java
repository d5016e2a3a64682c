package io.herald.systemtests;

/**
 * Marks a test class whose clusters run on the shared Redis Cluster ({@link SharedRedisCluster})
 * instead of one Redis: {@link TestClusters#start} looks for it, so a subclass of a single-Redis
 * test class runs the same tests on a Redis Cluster without a second setup.
 */
interface RunsOnRedisCluster {
}
