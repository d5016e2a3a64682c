package io.herald.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.local.LocalRedis;

/**
 * A node records the key layout, shard count and slot groups of a new cluster, adopts those of an
 * existing one, and refuses a cluster whose keys an older version laid out. Real Redis.
 */
class KeyLayoutVersionTest {

    private static LocalRedis localRedis;
    private static RedissonClient redis;

    @BeforeAll
    static void startRedis() {
        localRedis = LocalRedis.start();
        redis = TestNodes.client(localRedis.url());
    }

    @AfterAll
    static void stopRedis() {
        redis.shutdown();
        localRedis.close();
    }

    private static ClusterSettings node(String clusterName, int shards, Optional<Integer> slotGroups) {
        return TestNodes.settings(redis, clusterName, shards, slotGroups, "router-1", "router");
    }

    @Test
    void aNewClusterRecordsItsLayoutAndLaterNodesAdoptItsShardsAndSlotGroups() {
        ClusterSettings first = node("fresh", 16, Optional.of(4));
        assertEquals(Map.of("layout", Integer.toString(StreamLayout.VERSION), "shards", "16", "slot-groups", "4"),
                redis.<String, String>getMap(first.layout().meta(), StringCodec.INSTANCE).readAllMap());

        ClusterSettings later = node("fresh", 64, Optional.of(6));
        assertEquals(16, later.shardCount());
        assertEquals(4, later.layout().slotGroups());
        assertEquals(first.layout().inbox("g", 3), later.layout().inbox("g", 3));
    }

    @Test
    void aClusterCreatedByTheOldKeyLayoutIsRefusedWithWhatToDo() {
        redis.<String, String>getMap(StreamLayout.meta("old", Optional.empty()), StringCodec.INSTANCE)
                .putAll(Map.of("shards", "64", "dataset", "d1"));

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> node("old", 64, Optional.empty()));
        assertTrue(refused.getMessage().contains("was created with Redis key layout 1"), refused.getMessage());
        assertTrue(refused.getMessage().contains("herald:old:*"), refused.getMessage());
        assertEquals(Map.of("shards", "64", "dataset", "d1"),
                redis.<String, String>getMap(StreamLayout.meta("old", Optional.empty()), StringCodec.INSTANCE).readAllMap(),
                "the old cluster's meta is left as it was");
    }
}
