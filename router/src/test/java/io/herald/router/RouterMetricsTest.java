package io.herald.router;

import static io.herald.router.TestStreams.unique;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.MetricsScrape;
import io.herald.local.RedisTestResource;
import io.herald.streams.ClusterSettings;
import io.herald.streams.InterestChange;
import io.herald.streams.Publication;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The router's {@code /q/metrics} while it routes a real Redis's shard streams: batches and entries
 * routed, shards owned, and the failures an operator must see (a failed turn, an orphaned read,
 * a write refused by the shard's fence).
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class RouterMetricsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TestHTTPResource("/")
    URI root;

    @Inject
    TestStreams streams;

    @Inject
    ClusterSettings cluster;

    @Inject
    RedissonClient redis;

    @Test
    void routedEntriesAndOwnedShardsShowInTheScrape() throws Exception {
        await().atMost(TIMEOUT).until(() -> MetricsScrape.of(root).value("herald_router_shards_owned") == cluster.shardCount());
        MetricsScrape before = MetricsScrape.of(root);
        String gateway = unique("gw");
        String channel = unique("orders");
        streams.append(new InterestChange("1", channel, gateway, true), new Publication("1", channel, "e", "one", null),
                new Publication("1", channel, "e", "two", null));
        await().atMost(TIMEOUT).until(() -> streams.deliveries(gateway).size() == 2);

        await().atMost(TIMEOUT).untilAsserted(() -> {
            MetricsScrape after = MetricsScrape.of(root);
            assertEquals(before.value("herald_router_entries_routed_total") + 3, after.value("herald_router_entries_routed_total"));
            assertTrue(after.value("herald_router_batches_routed_total") > before.value("herald_router_batches_routed_total"));
        });
        MetricsScrape after = MetricsScrape.of(root);
        assertTrue(after.has("herald_router_shard_lag_seconds"));
        assertEquals(cluster.shardCount(), after.value("herald_router_shards"), "the cluster's shards, owned or not");
        assertEquals(0, after.value("herald_lease_renew_failures_total"), "the test API server keeps the Lease");
        assertFalse(after.text().contains(channel), "a channel is never a label");
    }

    @Test
    void aFailedTurnAndAnOrphanedReadAreCounted() throws Exception {
        String channel = unique("orders");
        String gateway = streams.interestedGateway(channel);
        MetricsScrape before = MetricsScrape.of(root);

        // The delivery's XADD fails inside the fenced script, so the turn fails and is retried.
        redis.getBucket(cluster.layout().inbox(gateway, 0), StringCodec.INSTANCE).set("not a stream");
        streams.append(new Publication("1", channel, "e", "first", null));
        await().atMost(TIMEOUT).until(() -> MetricsScrape.of(root).value("herald_router_turn_failures_total")
                > before.value("herald_router_turn_failures_total"));
        redis.getBucket(cluster.layout().inbox(gateway, 0)).delete();
        await().atMost(TIMEOUT).until(() -> streams.deliveries(gateway).size() == 1);
        assertTrue(MetricsScrape.of(root).value("herald_redis_command_errors_total", "operation", "route")
                > before.value("herald_redis_command_errors_total", "operation", "route"));

        streams.appendTakenByAnOrphanedRead(new Publication("1", channel, "e", "taken", null));
        await().atMost(TIMEOUT).until(() -> streams.deliveries(gateway).size() == 2);
        assertEquals(before.value("herald_router_orphaned_entries_total") + 1,
                MetricsScrape.of(root).value("herald_router_orphaned_entries_total"));
    }

    @Test
    void aWriteRefusedByTheShardsFenceIsCounted() throws Exception {
        String channel = unique("fenced");
        int shard = cluster.shardOf("1", channel);
        await().atMost(TIMEOUT).until(() -> MetricsScrape.of(root).value("herald_router_shards_owned") == cluster.shardCount());
        MetricsScrape before = MetricsScrape.of(root);

        // As a peer's claim would: a higher epoch and another owner, so this router's next write to the shard is refused.
        redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE,
                "redis.call('HINCRBY', KEYS[1], 'epoch', 1) redis.call('HSET', KEYS[1], 'owner', 'peer') return 1",
                RScript.ReturnType.LONG, List.of(cluster.layout().shardOwner(shard)));
        streams.append(new InterestChange("1", channel, unique("gw"), true));

        await().atMost(TIMEOUT).until(() -> MetricsScrape.of(root).value("herald_router_fencing_rejections_total")
                == before.value("herald_router_fencing_rejections_total") + 1);
        // The peer is not alive, so the router claims the shard back.
        await().atMost(TIMEOUT).until(() -> MetricsScrape.of(root).value("herald_router_shards_owned") == cluster.shardCount());
    }
}
