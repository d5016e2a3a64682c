package io.herald.systemtests;

/**
 * {@link RouterFailoverTest} on a 3-primary Redis Cluster ({@link SharedRedisCluster}): the same clients and
 * assertions, with the shards spread over the primaries in slot groups.
 */
class RouterFailoverOnRedisClusterTest extends RouterFailoverTest implements RunsOnRedisCluster {
}
