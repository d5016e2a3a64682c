package io.herald.gateway.rest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.api.stream.StreamTrimArgs;
import org.redisson.client.codec.StringCodec;

import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.channel.PrivateChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;

import io.herald.gateway.ShardBacklog;
import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.streams.ClusterSettings;
import io.herald.streams.StreamLayout;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A shard whose routers are behind (here: absent, nothing reads the streams) takes publications
 * up to its backlog budget, then refuses them with 503 and Retry-After, while other shards and
 * the shard's own control entries carry on; nothing acknowledged is ever trimmed unrouted.
 */
@QuarkusTest
@TestProfile(ShardBacklogTest.TinyBudget.class)
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class ShardBacklogTest {

    private static final int BUDGET = 150;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    public static class TinyBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("herald.streams.shard-backlog-budget", Integer.toString(BUDGET));
        }
    }

    @TestHTTPResource("/")
    URI root;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    ShardBacklog backlog;

    private int full;
    private SignedPosts rest;

    @BeforeEach
    void emptyShardStreams() {
        for (int shard = 0; shard < cluster.shardCount(); shard++) {
            redis.getStream(cluster.layout().shardStream(shard)).delete();
        }
        full = cluster.shardOf("1", "full-0");
        rest = new SignedPosts(root);
        // The previous test's full shard, until the next measurement sees it emptied.
        await().atMost(TIMEOUT).until(() -> !backlog.isOverBudget("1", "full-0"));
    }

    /** Channel names with the prefix that hash to the full shard. */
    private List<String> channelsOfTheFullShard(String prefix, int count) {
        List<String> channels = new ArrayList<>();
        for (int i = 0; channels.size() < count; i++) {
            if (cluster.shardOf("1", prefix + i) == full) {
                channels.add(prefix + i);
            }
        }
        return channels;
    }

    private HttpResponse<String> publish(List<String> channels) throws Exception {
        return rest.post("/apps/1/events",
                new JsonObject().put("name", "e").put("channels", new JsonArray(channels)).put("data", "{}").encode());
    }

    private RStream<String, String> fullStream() {
        return redis.getStream(cluster.layout().shardStream(full), StringCodec.INSTANCE);
    }

    /**
     * The publications in the full shard's stream. Not its size: a client of an earlier test that
     * disconnects withdraws its interest with an entry of its own, which may land in this shard.
     */
    private long publicationsInTheFullShard() {
        return fullStream().range(StreamMessageId.MIN, StreamMessageId.MAX).values().stream()
                .filter(fields -> "publish".equals(fields.get("type"))).count();
    }

    /** Publishes to the full shard until it is refused; returns how many entries were acknowledged. */
    private long fillPastTheBudget() throws Exception {
        List<String> hundred = channelsOfTheFullShard("full-", 100);
        assertEquals(200, publish(hundred).statusCode());
        assertEquals(200, publish(hundred).statusCode());
        AtomicInteger acknowledged = new AtomicInteger(200);
        await().atMost(TIMEOUT).until(() -> {
            HttpResponse<String> response = publish(List.of("full-0"));
            if (response.statusCode() == 200) {
                acknowledged.incrementAndGet();
                return false;
            }
            assertEquals(503, response.statusCode(), response.body());
            assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
            assertTrue(new JsonObject(response.body()).getString("error").contains("backlog"), response.body());
            return true;
        });
        return acknowledged.get();
    }

    @Test
    void aShardPastItsBudgetRefusesPublicationsWith503WhileOtherShardsPublish() throws Exception {
        long acknowledged = fillPastTheBudget();
        String elsewhere = "elsewhere";
        assertTrue(cluster.shardOf("1", elsewhere) != full);
        assertEquals(200, publish(List.of(elsewhere)).statusCode());
        assertEquals(503, publish(List.of(elsewhere, "full-0")).statusCode(), "a request touching the full shard");
        assertEquals(acknowledged, publicationsInTheFullShard(), "every acknowledged publication is still in the stream");
        assertEquals(1, redis.getStream(cluster.layout().shardStream(cluster.shardOf("1", elsewhere))).size());
    }

    @Test
    void entriesReadButNotRoutedStillCountAndRoutedOnesFreeTheShard() throws Exception {
        // A router group reading from the start: its lag and pending entries are the backlog.
        fullStream().createGroup(StreamCreateGroupArgs.name(StreamLayout.ROUTER_GROUP).id(StreamMessageId.ALL).makeStream());
        fillPastTheBudget();
        Map<StreamMessageId, Map<String, String>> read = fullStream().readGroup(StreamLayout.ROUTER_GROUP, "router-a",
                StreamReadGroupArgs.neverDelivered().count(10_000));
        assertTrue(read.size() > BUDGET);
        await().pollDelay(Duration.ofMillis(600)).atMost(TIMEOUT).until(() -> publish(List.of("full-0")).statusCode() == 503);

        // Routed as a router would: acknowledged, then trimmed.
        StreamMessageId[] ids = read.keySet().toArray(StreamMessageId[]::new);
        fullStream().ack(StreamLayout.ROUTER_GROUP, ids);
        fullStream().trim(StreamTrimArgs.minId(new StreamMessageId(Long.MAX_VALUE, 0)).noLimit());
        await().atMost(TIMEOUT).until(() -> publish(List.of("full-0")).statusCode() == 200);
    }

    @Test
    void subscriptionsGoThroughAndClientEventsAreRefusedWith4301() throws Exception {
        fillPastTheBudget();
        String privateChannel = channelsOfTheFullShard("private-full-", 1).get(0);
        com.pusher.rest.Pusher signer = new com.pusher.rest.Pusher("1", SignedPosts.KEY, SignedPosts.SECRET);
        Pusher client = new Pusher(SignedPosts.KEY, new PusherOptions().setHost(root.getHost()).setWsPort(root.getPort())
                .setUseTLS(false).setChannelAuthorizer((channel, socketId) -> signer.authenticate(socketId, channel)));
        CompletableFuture<String> error = new CompletableFuture<>();
        CompletableFuture<String> subscribed = new CompletableFuture<>();
        try {
            client.connect(new ConnectionEventListener() {
                @Override
                public void onConnectionStateChange(ConnectionStateChange change) {
                }

                @Override
                public void onError(String message, String code, Exception e) {
                    error.complete(code + " " + message);
                }
            }, ConnectionState.CONNECTED);
            client.subscribePrivate(privateChannel, new PrivateChannelEventListener() {
                @Override
                public void onSubscriptionSucceeded(String channelName) {
                    subscribed.complete(channelName);
                }

                @Override
                public void onAuthenticationFailure(String message, Exception e) {
                    subscribed.completeExceptionally(new AssertionError(message, e));
                }

                @Override
                public void onEvent(PusherEvent event) {
                }
            });
            assertEquals(privateChannel, subscribed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                    "the interest announcement is a control entry, never refused");
            client.getPrivateChannel(privateChannel).trigger("client-hello", "{}");
            String refusal = error.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(refusal.startsWith("4301 ") && refusal.contains("backlog"), refusal);
        } finally {
            client.disconnect();
        }
    }
}
