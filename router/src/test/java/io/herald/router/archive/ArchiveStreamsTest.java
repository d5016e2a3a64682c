package io.herald.router.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import io.herald.local.LocalRedis;
import io.herald.streams.StreamLayout;

/** The archive streams against a real Redis: what one read may bring. */
class ArchiveStreamsTest {

    private static LocalRedis server;
    private static RedissonClient redis;

    @BeforeAll
    static void start() {
        server = LocalRedis.start();
        Config config = new Config();
        config.useSingleServer().setAddress(server.url());
        redis = Redisson.create(config);
    }

    @AfterAll
    static void stop() {
        redis.shutdown();
        server.close();
    }

    /**
     * A backlog on every shard (MongoDB was down) must not come back as one huge read: reading
     * 64 shards x 500 entries at once took Redis and the router longer than the client's response
     * timeout on a loaded machine, and the retried read failed the same way forever.
     */
    @Test
    void oneReadBringsAtMostTheBatchSizeWhateverTheNumberOfShards() {
        StreamLayout layout = new StreamLayout("bounded");
        ArchiveStreams streams = new ArchiveStreams(redis, layout, "router-1");
        List<Integer> shards = IntStream.range(0, 16).boxed().toList();
        for (int shard : shards) {
            streams.adopt(shard);
            for (int i = 0; i < 50; i++) {
                redis.<String, String>getStream(layout.archive(shard), StringCodec.INSTANCE).add(StreamAddArgs.entries(Map.of("n", "" + i)));
            }
        }

        Map<Integer, Map<StreamMessageId, Map<String, String>>> read = streams.read(shards, false, 64, Duration.ofMillis(10));

        int entries = read.values().stream().mapToInt(Map::size).sum();
        assertTrue(entries <= 64, "read " + entries + " entries");
        assertTrue(entries > 0);
        assertEquals(shards.size(), read.size(), "every shard gets its share");
    }
}
