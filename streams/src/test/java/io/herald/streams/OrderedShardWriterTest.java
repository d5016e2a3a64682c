package io.herald.streams;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamRangeArgs;
import org.redisson.client.codec.StringCodec;

import io.herald.local.LocalRedis;

/**
 * The ordered writer against a real Redis that refuses writes for a while (out of memory): what
 * was handed to it reaches the shard streams once Redis takes writes again, in order, once.
 */
class OrderedShardWriterTest {

    private LocalRedis localRedis;
    private RedissonClient redis;
    private ClusterSettings cluster;
    private OrderedShardWriter writer;

    @BeforeEach
    void start() {
        localRedis = LocalRedis.start();
        redis = TestNodes.client(localRedis.url());
        cluster = TestNodes.settings(redis, "writer", 4, Optional.empty(), "gateway-1", "gateway");
        ShardStreams streams = new ShardStreams();
        streams.redis = redis;
        streams.cluster = cluster;
        streams.config = TestNodes.config(Map.of());
        streams.checkDurability();
        writer = new OrderedShardWriter();
        writer.shardStreams = streams;
        writer.redis = redis;
    }

    @AfterEach
    void stop() {
        redis.shutdown();
        localRedis.close();
    }

    @Test
    void aWithdrawalThatRedisRefusedIsWrittenOnceRedisTakesWritesAgainAfterWhatCameBeforeIt() {
        localRedis.command("CONFIG", "SET", "maxmemory-policy", "noeviction");
        localRedis.command("CONFIG", "SET", "maxmemory", "1");
        CompletableFuture<Void> announced = writer.append(new InterestChange("1", "news", cluster.nodeId(), true));
        CompletableFuture<Void> withdrawn = writer.append(new InterestChange("1", "news", cluster.nodeId(), false));
        await().atMost(Duration.ofSeconds(10)).until(() -> localRedis.command("INFO", "errorstats").contains("errorstat_OOM"));
        assertFalse(withdrawn.isDone(), "waits while Redis refuses, rather than being dropped");

        localRedis.command("CONFIG", "SET", "maxmemory", "0");
        await().atMost(Duration.ofSeconds(15)).until(() -> announced.isDone() && withdrawn.isDone());
        assertTrue(!announced.isCompletedExceptionally() && !withdrawn.isCompletedExceptionally());

        List<String> interested = redis.<String, String>getStream(cluster.layout().shardStream(cluster.shardOf("1", "news")),
                StringCodec.INSTANCE).range(StreamRangeArgs.startId(StreamMessageId.MIN).endId(StreamMessageId.MAX)).values()
                .stream().map(fields -> fields.get("interested")).toList();
        assertEquals(List.of("1", "0"), interested);
    }
}
