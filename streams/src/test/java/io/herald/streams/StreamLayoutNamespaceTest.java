package io.herald.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import io.herald.local.LocalRedis;

/**
 * Two PushClusters with the same name in different namespaces, and a local cluster of that name,
 * sharing one Redis: every key one of them writes is invisible to the others, also to their SCAN
 * patterns. Real Redis.
 */
class StreamLayoutNamespaceTest {

    /** Every kind of key a cluster writes, as its layout names it. */
    private static final List<Function<StreamLayout, String>> KEYS = List.of(
            StreamLayout::meta,
            layout -> layout.shardStream(3),
            layout -> layout.inbox("gateway-1", 0),
            layout -> layout.interest("app", "chat"),
            layout -> layout.cache("app", "cache-chat"),
            layout -> layout.watchers("app", "user-1"),
            layout -> layout.subscriptions("app", "chat"),
            layout -> layout.presence("app", "presence-chat"),
            layout -> layout.gatewayPresence("gateway-1", 3),
            layout -> layout.gatewayInterest("gateway-1", 3),
            layout -> layout.shardOwner(3),
            layout -> layout.gatewayConnections("gateway-1"),
            StreamLayout::nodeSequence);

    private static LocalRedis localRedis;
    private static RedissonClient redis;

    @BeforeAll
    static void startRedis() {
        localRedis = LocalRedis.start();
        Config config = new Config();
        config.useSingleServer().setAddress(localRedis.url());
        config.setCodec(StringCodec.INSTANCE);
        redis = Redisson.create(config);
    }

    @AfterAll
    static void stopRedis() {
        redis.shutdown();
        localRedis.close();
    }

    @BeforeEach
    void emptyRedis() {
        redis.getKeys().flushall();
    }

    @Test
    void clustersOfOneNameInDifferentNamespacesShareNoKey() {
        StreamLayout teamA = new StreamLayout("herald", Optional.of("team-a"));
        StreamLayout teamB = new StreamLayout("herald", Optional.of("team-b"));
        StreamLayout local = new StreamLayout("herald", Optional.empty());

        for (StreamLayout writer : List.of(teamA, teamB, local)) {
            emptyRedis();
            KEYS.forEach(key -> redis.getBucket(key.apply(writer)).set("written"));
            for (StreamLayout reader : List.of(teamA, teamB, local)) {
                if (reader != writer) {
                    String[] readerKeys = KEYS.stream().map(key -> key.apply(reader)).toArray(String[]::new);
                    assertEquals(0, redis.getKeys().countExists(readerKeys), "keys of " + writer.meta() + " seen as " + reader.meta());
                    assertEquals(List.of(), redis.getKeys().getKeysStreamByPattern(reader.interestPattern("app", "")).toList());
                }
            }
            assertEquals(KEYS.size(), redis.getKeys().count(), "the writer's own keys are all there");
        }
    }

    @Test
    void aLocalClusterKeepsItsKeysAndANamespacedOneStaysClearOfRedisClusterHashTags() {
        assertEquals("herald:herald:meta", new StreamLayout("herald", Optional.empty()).meta());
        String namespaced = new StreamLayout("herald", Optional.of("team-a")).meta();
        assertFalse(namespaced.contains("{") || namespaced.contains("}"), namespaced);
    }

    @Test
    void aNamespaceOrClusterNameThatCouldMakeTwoPrefixesEqualIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StreamLayout("herald", Optional.of("team:a")));
        assertThrows(IllegalArgumentException.class, () -> new StreamLayout("herald", Optional.of("team/a")));
        assertThrows(IllegalArgumentException.class, () -> new StreamLayout("herald", Optional.of(" ")));
        assertThrows(IllegalArgumentException.class, () -> new StreamLayout("team-a/herald", Optional.empty()));
    }
}
