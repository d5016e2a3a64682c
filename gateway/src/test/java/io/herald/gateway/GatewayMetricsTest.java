package io.herald.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.LocalRedis;
import io.herald.local.MetricsScrape;
import io.herald.local.RedisTestResource;
import io.herald.local.TestSocket;
import io.herald.streams.ClusterSettings;
import io.herald.streams.Delivery;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.Publication;
import io.herald.streams.ShardEntry;
import io.herald.streams.StreamOffset;
import io.herald.streams.StreamsConfig;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * The gateway's {@code /q/metrics} after real traffic: WebSocket clients that connect, are
 * refused, subscribe, receive and leave; publishes over REST with pusher-http-java that succeed,
 * are refused and fail in Redis. The gateway module runs no router, so the test routes the
 * publication into the gateway's inbox as the channel's router would.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class GatewayMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URI root;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    StreamsConfig streams;

    @Test
    void connectionsSubscriptionsPublishesAndDeliveriesMoveTheirSeries() throws Exception {
        String channel = "metrics-" + System.nanoTime();
        MetricsScrape before = MetricsScrape.of(root);

        try (TestSocket client = TestSocket.open(ws("app/herald-key?protocol=7"))) {
            assertEquals("pusher:connection_established", client.next().getString("event"));
            client.send("pusher:subscribe", new JsonObject().put("channel", channel));
            assertEquals("pusher_internal:subscription_succeeded", client.next().getString("event"));

            MetricsScrape open = MetricsScrape.of(root);
            assertEquals(before.value("herald_gateway_connections", "app", "1") + 1, open.value("herald_gateway_connections", "app", "1"));
            assertEquals(before.value("herald_gateway_connects_total", "app", "1") + 1, open.value("herald_gateway_connects_total", "app", "1"));
            assertEquals(before.value("herald_gateway_subscriptions", "app", "1") + 1, open.value("herald_gateway_subscriptions", "app", "1"));

            Result published = sdk("herald-secret").trigger(channel, "ordered", Map.of("id", 7));
            assertEquals(Result.Status.SUCCESS, published.getStatus(), published.getMessage());
            assertEquals(401, sdk("not-the-secret").trigger(channel, "ordered", Map.of("id", 8)).getHttpStatus());
            routeLastPublication(channel);
            JsonObject event = client.next();
            assertEquals("ordered", event.getString("event"));

            await().atMost(WAIT).untilAsserted(() -> {
                MetricsScrape after = MetricsScrape.of(root);
                assertEquals(before.value("herald_gateway_deliveries_total") + 1, after.value("herald_gateway_deliveries_total"));
                assertEquals(before.value("herald_gateway_publish_delivery_latency_seconds_count") + 1,
                        after.value("herald_gateway_publish_delivery_latency_seconds_count"));
                assertTrue(after.value("herald_gateway_publish_delivery_latency_seconds_bucket", "le", "10.0")
                        > before.value("herald_gateway_publish_delivery_latency_seconds_bucket", "le", "10.0"),
                        "the delivery took less than 10 s");
                // subscription_succeeded and the event, at least; the first holds the event's and the channel's names.
                assertTrue(after.value("herald_gateway_frames_written_total") >= before.value("herald_gateway_frames_written_total") + 2);
                assertTrue(after.value("herald_gateway_written_bytes_total") >= before.value("herald_gateway_written_bytes_total")
                        + "pusher_internal:subscription_succeeded".length() + channel.length());
                assertEquals(before.value("herald_gateway_publish_requests_total", "status", "200") + 1,
                        after.value("herald_gateway_publish_requests_total", "status", "200"));
                assertEquals(before.value("herald_gateway_publish_requests_total", "status", "401") + 1,
                        after.value("herald_gateway_publish_requests_total", "status", "401"));
            });
        }

        await().atMost(WAIT).untilAsserted(() -> {
            MetricsScrape closed = MetricsScrape.of(root);
            assertEquals(before.value("herald_gateway_connections", "app", "1"), closed.value("herald_gateway_connections", "app", "1"));
            assertEquals(before.value("herald_gateway_subscriptions", "app", "1"), closed.value("herald_gateway_subscriptions", "app", "1"));
            // The test client aborts its TCP connection without a close frame: no status received, 1005.
            assertEquals(before.value("herald_gateway_disconnects_total", "code", "1005") + 1,
                    closed.value("herald_gateway_disconnects_total", "code", "1005"));
        });

        MetricsScrape last = MetricsScrape.of(root);
        assertTrue(last.has("herald_gateway_inbox_lag_seconds"));
        assertTrue(last.has("herald_gateway_slow_disconnects_total"));
        assertTrue(last.has("herald_gateway_frames_dropped_total"));
        assertEquals(0, last.value("herald_lease_renew_failures_total"), "the test API server keeps the Lease");
        assertFalse(last.text().contains(channel), "a channel is never a label");
    }

    @Test
    void anOpenConnectionKeepsNoTimerOfItsOwnWhileTheConnectionCountsStay() throws Exception {
        try (TestSocket client = TestSocket.open(ws("app/herald-key?protocol=7"))) {
            assertEquals("pusher:connection_established", client.next().getString("event"));
            MetricsScrape open = MetricsScrape.of(root);
            assertTrue(open.value("herald_gateway_connections", "app", "1") >= 1);
            assertTrue(open.value("http_server_active_connections") >= 1, "the HTTP server's own count stays");
            assertFalse(open.text().contains("http_server_websocket_connections"), open.text());
            assertFalse(open.text().contains("http_server_connections_seconds"), open.text());
        }
    }

    @Test
    void aConnectionToAnUnknownAppIsCountedByItsCloseCode() throws Exception {
        MetricsScrape before = MetricsScrape.of(root);
        try (TestSocket refused = TestSocket.open(ws("app/no-such-key?protocol=7"))) {
            assertEquals(4001, refused.awaitCloseCode());
        }
        MetricsScrape after = MetricsScrape.of(root);
        assertEquals(before.value("herald_gateway_connect_refusals_total", "code", "4001") + 1,
                after.value("herald_gateway_connect_refusals_total", "code", "4001"));
    }

    @Test
    void aPublishThatRedisRefusesCountsA503AndARedisError() throws Exception {
        String channel = "refused-" + System.nanoTime();
        String stream = cluster.layout().shardStream(cluster.shardOf("1", channel));
        MetricsScrape before = MetricsScrape.of(root);
        // A key of the wrong type makes the XADD fail.
        redis.getBucket(stream, StringCodec.INSTANCE).set("not a stream");
        try {
            assertEquals(503, sdk("herald-secret").trigger(channel, "e", Map.of()).getHttpStatus());
        } finally {
            redis.getBucket(stream).delete();
        }
        MetricsScrape after = MetricsScrape.of(root);
        assertEquals(before.value("herald_gateway_publish_requests_total", "status", "503") + 1,
                after.value("herald_gateway_publish_requests_total", "status", "503"));
        assertEquals(before.value("herald_redis_command_errors_total", "operation", "publish") + 1,
                after.value("herald_redis_command_errors_total", "operation", "publish"));
    }

    @Test
    void aBacklogMeasurementThatRedisRefusesCountsARedisError() throws Exception {
        // A publication makes its shard one that the gateway measures.
        assertEquals(200, sdk("herald-secret").trigger("measured-" + System.nanoTime(), "e", Map.of()).getHttpStatus());
        MetricsScrape before = MetricsScrape.of(root);
        // Only the measurement reads consumer groups: without the right to, its script fails.
        redisCli("ACL", "SETUSER", "default", "-xinfo|groups");
        try {
            await().atMost(WAIT).until(() -> MetricsScrape.of(root).value("herald_redis_command_errors_total",
                    "operation", "shard_backlog") > before.value("herald_redis_command_errors_total", "operation", "shard_backlog"));
        } finally {
            redisCli("ACL", "SETUSER", "default", "+xinfo|groups");
        }
    }

    @Test
    void aConnectionCountExchangeThatRedisRefusesCountsARedisError() throws Exception {
        String own = cluster.layout().gatewayConnections(cluster.nodeId());
        try (TestSocket client = TestSocket.open(ws("app/herald-key?protocol=7"))) {
            assertEquals("pusher:connection_established", client.next().getString("event"));
            MetricsScrape before = MetricsScrape.of(root);
            // A key of the wrong type makes writing this gateway's counts fail.
            redis.getBucket(own, StringCodec.INSTANCE).set("not a hash");
            try {
                await().atMost(WAIT).until(() -> MetricsScrape.of(root).value("herald_redis_command_errors_total",
                        "operation", "connection_counts") > before.value("herald_redis_command_errors_total", "operation",
                                "connection_counts"));
            } finally {
                redis.getBucket(own).delete();
            }
        }
    }

    private void redisCli(String... arguments) {
        LocalRedis.command(URI.create(streams.redis().url()).getPort(), arguments);
    }

    /** Hands the channel's last publication to this gateway's inbox, with its shard stream id, as its router does. */
    private void routeLastPublication(String channel) {
        RStream<String, String> shard = redis.getStream(cluster.layout().shardStream(cluster.shardOf("1", channel)),
                StringCodec.INSTANCE);
        Map.Entry<StreamMessageId, Map<String, String>> last = shard.rangeReversed(1, StreamMessageId.MAX, StreamMessageId.MIN)
                .entrySet().iterator().next();
        ShardEntry entry = EnvelopeCodec.decodeShardEntry(last.getValue());
        StreamMessageId id = last.getKey();
        Delivery delivery = new Delivery((Publication) entry, new StreamOffset(id.getId0(), id.getId1()));
        redis.<String, String>getStream(cluster.layout().inbox(cluster.nodeId(), 0), StringCodec.INSTANCE)
                .add(StreamAddArgs.entries(EnvelopeCodec.encode(delivery)));
    }

    private URI ws(String path) {
        return URI.create(root.toString().replaceFirst("^http", "ws") + path);
    }

    private Pusher sdk(String secret) {
        Pusher pusher = new Pusher("1", "herald-key", secret);
        pusher.setHost(root.getHost() + ":" + root.getPort());
        pusher.setEncrypted(false);
        return pusher;
    }
}
