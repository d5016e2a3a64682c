package io.herald.router.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import io.herald.local.LocalRedis;
import io.herald.router.ownership.ShardClaims;
import io.herald.streams.StreamLayout;

/** The fenced write script against a real Redis: what it refuses and what it never trims. */
class FencedWritesTest {

    private static LocalRedis localRedis;
    private static RedissonClient redis;
    private final StreamLayout layout = new StreamLayout("fenced-" + System.nanoTime());

    @BeforeAll
    static void start() {
        localRedis = LocalRedis.start();
        Config config = new Config();
        config.useSingleServer().setAddress(localRedis.url());
        redis = Redisson.create(config);
    }

    @AfterAll
    static void stop() {
        redis.shutdown();
        localRedis.close();
    }

    @Test
    void aTrimNeverDropsEntriesThatAreStillPendingInTheGroup() {
        RStream<String, String> stream = redis.getStream(layout.shardStream(0), StringCodec.INSTANCE);
        stream.createGroup(StreamCreateGroupArgs.name(StreamLayout.ROUTER_GROUP).id(new StreamMessageId(0, 0)).makeStream());
        List<StreamMessageId> ids = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            ids.add(stream.add(StreamAddArgs.entry("n", Integer.toString(i))));
        }
        // A batch read by a router whose write then failed: pending, never acknowledged.
        stream.readGroup(StreamLayout.ROUTER_GROUP, "router-a", StreamReadGroupArgs.neverDelivered().count(500));
        long epoch = new ShardClaims(redis, layout).claim(0, "", "router-a");

        FencedWrites writes = new FencedWrites(layout);
        writes.trimBefore(0, stream.getName(), StreamLayout.ROUTER_GROUP, ids.get(550).toString());
        assertEquals(Set.of(), writes.execute(redis, "router-a", Map.of(0, epoch)));

        assertEquals(600, stream.size(), "the 500 pending entries and everything after them are kept");
    }

    @Test
    void aTrimDropsWhatWasAcknowledged() {
        RStream<String, String> stream = redis.getStream(layout.shardStream(1), StringCodec.INSTANCE);
        stream.createGroup(StreamCreateGroupArgs.name(StreamLayout.ROUTER_GROUP).id(new StreamMessageId(0, 0)).makeStream());
        List<StreamMessageId> ids = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            ids.add(stream.add(StreamAddArgs.entry("n", Integer.toString(i))));
        }
        stream.readGroup(StreamLayout.ROUTER_GROUP, "router-a", StreamReadGroupArgs.neverDelivered().count(500));
        stream.ack(StreamLayout.ROUTER_GROUP, ids.subList(0, 500).toArray(StreamMessageId[]::new));
        long epoch = new ShardClaims(redis, layout).claim(1, "", "router-a");

        FencedWrites writes = new FencedWrites(layout);
        writes.trimBefore(1, stream.getName(), StreamLayout.ROUTER_GROUP, ids.get(500).toString());
        writes.execute(redis, "router-a", Map.of(1, epoch));

        long kept = stream.size();
        assertEquals(true, kept >= 100 && kept < 600, "whole nodes before the first kept entry go, was " + kept);
    }

    @Test
    void theSameEpochHeldByAnotherRouterIsRefused() {
        // Redis lost its data: the new owner's first claim has epoch 1 again, as the stale router's had.
        long epoch = new ShardClaims(redis, layout).claim(2, "", "router-new");
        FencedWrites stale = new FencedWrites(layout);
        stale.deliver(2, layout.inbox("gw", 0), 1000, Map.of("data", "stale"));
        assertEquals(Set.of(2), stale.execute(redis, "router-old", Map.of(2, epoch)));
        assertEquals(0, redis.getStream(layout.inbox("gw", 0), StringCodec.INSTANCE).size());
    }

    @Test
    void fieldsReachRedisExactlyWhateverCharactersTheyHold() {
        long epoch = new ShardClaims(redis, layout).claim(3, "", "router-a");
        String awkward = "quote \" backslash \\ newline \n tab \t nul \u0000 snowman \u2603 emoji \uD83D\uDE00 [\"not\",\"json\"]";
        FencedWrites writes = new FencedWrites(layout);
        writes.deliver(3, layout.inbox("gw-awkward", 0), 1000, Map.of("data", awkward, "empty", ""));
        assertEquals(Set.of(), writes.execute(redis, "router-a", Map.of(3, epoch)));
        Map<String, String> delivered = redis.<String, String>getStream(layout.inbox("gw-awkward", 0), StringCodec.INSTANCE)
                .range(org.redisson.api.stream.StreamRangeArgs.startId(org.redisson.api.stream.StreamMessageId.MIN)
                        .endId(org.redisson.api.stream.StreamMessageId.MAX)).values().iterator().next();
        assertEquals(Map.of("data", awkward, "empty", ""), delivered);
    }
}
