package io.herald.gateway.fanout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.client.codec.StringCodec;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.streams.ClusterSettings;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A burst of subscription changes to one channel, as when a drained gateway's clients all come
 * back, against a real Redis: the count comes out exact, and it took a few scripts, not one per
 * change.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class SubscriptionCountsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    SubscriptionCounts counts;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Test
    void aBurstOfChangesToOneChannelIsCountedExactlyInAFewScripts() throws Exception {
        ChannelKey channel = new ChannelKey("1", "burst-" + System.nanoTime());
        RMap<String, String> perGateway = redis.getMap(cluster.layout().subscriptions(channel.app(), channel.channel()),
                StringCodec.INSTANCE);
        int threads = 4;
        int each = 500;
        long scriptsBefore = scriptCalls();

        ExecutorService subscribers = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            subscribers.execute(() -> {
                for (int i = 0; i < each; i++) {
                    counts.add(channel, 1);
                }
            });
        }
        subscribers.shutdown();
        assertTrue(subscribers.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS));
        await().atMost(WAIT).until(() -> String.valueOf(threads * each).equals(perGateway.get(cluster.nodeId())));
        long scripts = scriptCalls() - scriptsBefore;
        assertTrue(scripts > 0 && scripts < threads * each / 4, scripts + " scripts for " + threads * each + " changes");

        for (int i = 0; i < threads * each; i++) {
            counts.add(channel, -1);
        }
        await().atMost(WAIT).until(() -> !perGateway.containsKey(cluster.nodeId()));
    }

    /** Scripts Redis ran so far ({@code EVAL} or, with Redisson's script cache, {@code EVALSHA}), from its command statistics. */
    private long scriptCalls() {
        Map<String, String> stats = redis.getRedisNodes(RedisNodes.SINGLE).getInstance().info(RedisNode.InfoSection.COMMANDSTATS);
        return Stream.of("cmdstat_eval", "cmdstat_evalsha")
                .mapToLong(command -> Long.parseLong(stats.getOrDefault(command, "calls=0").replaceFirst("^calls=(\\d+).*$", "$1")))
                .sum();
    }
}
