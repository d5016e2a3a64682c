package io.herald.router.ownership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import io.herald.local.LocalRedis;
import io.herald.streams.ConsumerGroups;
import io.herald.streams.StreamLayout;

/**
 * A router that read a shard after a peer claimed it (a read sent just before a stall, or read
 * ahead with its last writes) holds entries that the peer's take-over did not see. When it learns
 * it lost the shard, it hands them to the peer, which routes them. Real Redis.
 */
class ShardHandOverTest {

    private static final int SHARDS = 4;

    private LocalRedis localRedis;
    private RedissonClient redis;
    private final StreamLayout layout = new StreamLayout("handover");

    @BeforeEach
    void start() {
        localRedis = LocalRedis.start();
        Config config = new Config();
        config.useSingleServer().setAddress(localRedis.url());
        redis = Redisson.create(config);
    }

    @AfterEach
    void stop() {
        redis.shutdown();
        localRedis.close();
    }

    @Test
    void entriesReadAfterAPeerClaimedTheShardAreHandedToThePeerWhenTheLossIsNoticed() {
        ShardOwnership routerA = new ShardOwnership(redis, layout, "router-a", SHARDS);
        routerA.reconcile(true, Set.of("router-a"), name -> false);
        ShardOwnership routerB = new ShardOwnership(redis, layout, "router-b", SHARDS);
        routerB.reconcile(true, Set.of("router-b"), name -> false);
        assertEquals(SHARDS, routerB.epochs().size(), "B took every shard over, A being dead to it");

        RStream<String, String> shard = redis.getStream(layout.shardStream(0), StringCodec.INSTANCE);
        StreamMessageId published = shard.add(StreamAddArgs.entries(Map.of("data", "late")));
        Map<String, Map<StreamMessageId, Map<String, String>>> readByA = readNew("router-a");
        assertTrue(readByA.get(layout.shardStream(0)).containsKey(published), "A, unaware, read the shard");

        routerA.lost(0);

        assertEquals(List.of(), pendingIds(shard, "router-a"));
        assertEquals(List.of(published), pendingIds(shard, "router-b"));
        routerB.replayAll();
        assertEquals(Set.of(published), readPending("router-b").get(layout.shardStream(0)).keySet(),
                "B's next check of its pending entries routes the publication");
    }

    @Test
    void everyEntryIsHandedOverAndOnesTrimmedMeanwhileAreDropped() {
        ShardOwnership routerA = new ShardOwnership(redis, layout, "router-a", SHARDS);
        routerA.reconcile(true, Set.of("router-a"), name -> false);
        ShardOwnership routerB = new ShardOwnership(redis, layout, "router-b", SHARDS);
        routerB.reconcile(true, Set.of("router-b"), name -> false);
        RStream<String, String> shard = redis.getStream(layout.shardStream(0), StringCodec.INSTANCE);
        List<StreamMessageId> published = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            published.add(shard.add(StreamAddArgs.entries(Map.of("data", "late " + i))));
        }
        readNew("router-a");
        shard.remove(published.get(1));

        routerA.lost(0);

        assertEquals(List.of(), pendingIds(shard, "router-a"));
        assertEquals(List.of(published.get(0), published.get(2)), pendingIds(shard, "router-b"));
    }

    @Test
    void entriesOfAShardNobodyHoldsStayForItsNextClaimer() {
        ShardOwnership routerA = new ShardOwnership(redis, layout, "router-a", SHARDS);
        routerA.reconcile(true, Set.of("router-a"), name -> false);
        RStream<String, String> shard = redis.getStream(layout.shardStream(0), StringCodec.INSTANCE);
        StreamMessageId published = shard.add(StreamAddArgs.entries(Map.of("data", "read")));
        readNew("router-a");
        routerA.releaseAll();

        routerA.lost(0);
        assertEquals(List.of(published), pendingIds(shard, "router-a"), "nobody to hand them to yet");

        ShardOwnership routerB = new ShardOwnership(redis, layout, "router-b", SHARDS);
        routerB.reconcile(true, Set.of("router-b"), name -> false);
        assertEquals(List.of(published), pendingIds(shard, "router-b"), "the claim takes them over");
    }

    private Map<String, Map<StreamMessageId, Map<String, String>>> readNew(String consumer) {
        return ConsumerGroups.read(redis, List.of(List.of(layout.shardStream(0))), StreamLayout.ROUTER_GROUP, consumer,
                StreamMessageId.NEVER_DELIVERED, 100, Optional.empty());
    }

    private Map<String, Map<StreamMessageId, Map<String, String>>> readPending(String consumer) {
        return ConsumerGroups.read(redis, List.of(List.of(layout.shardStream(0))), StreamLayout.ROUTER_GROUP, consumer,
                new StreamMessageId(0, 0), 100, Optional.empty());
    }

    private static List<StreamMessageId> pendingIds(RStream<String, String> stream, String consumer) {
        return stream.listPending(StreamLayout.ROUTER_GROUP, consumer, StreamMessageId.MIN, StreamMessageId.MAX, 100)
                .stream().map(entry -> entry.getId()).toList();
    }
}
