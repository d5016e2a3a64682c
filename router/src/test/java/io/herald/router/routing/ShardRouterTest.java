package io.herald.router.routing;

import static io.herald.router.TestStreams.unique;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.router.TestStreams;
import io.herald.router.ownership.OrphanedReads;
import io.herald.streams.ClusterSettings;
import io.herald.streams.Delivery;
import io.herald.streams.InterestChange;
import io.herald.streams.Publication;
import io.herald.streams.ShardStreams;
import io.herald.streams.StreamLayout;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The router against a real Redis: entries go in the shard streams, deliveries come out of inboxes. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class ShardRouterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    TestStreams streams;

    @Inject
    ShardStreams shardStreams;

    @Inject
    ClusterSettings cluster;

    @Inject
    RedissonClient redis;

    @Inject
    MeterRegistry registry;

    @Test
    void deliversOnlyToGatewaysWithSubscribersOnTheChannel() {
        String a = unique("gw-a");
        String b = unique("gw-b");
        String orders = unique("orders");
        String news = unique("news");
        streams.append(new InterestChange("1", orders, a, true), new InterestChange("1", news, b, true),
                new Publication("1", orders, "created", "{\"id\":1}", null),
                new Publication("1", news, "posted", "{\"id\":2}", "1.2"));

        await().atMost(TIMEOUT).until(() -> streams.deliveries(a).size() == 1 && streams.deliveries(b).size() == 1);
        Publication toA = streams.deliveries(a).get(0).publication();
        assertEquals(orders, toA.channel());
        assertEquals("{\"id\":1}", toA.data());
        assertEquals("1.2", streams.deliveries(b).get(0).publication().excludedSocketId());
        assertTrue(redis.getSet(cluster.layout().interest("1", orders)).contains(a));
    }

    @Test
    void stopsDeliveringWhenTheGatewayLosesInterest() {
        String a = unique("gw-a");
        String channel = unique("orders");
        streams.append(new InterestChange("1", channel, a, true), new Publication("1", channel, "e", "first", null),
                new InterestChange("1", channel, a, false), new Publication("1", channel, "e", "second", null));
        String later = unique("later");
        streams.append(new InterestChange("1", later, a, true), new Publication("1", later, "e", "marker", null));

        await().atMost(TIMEOUT).until(() -> streams.deliveries(a).size() == 2);
        // Order holds per channel only; these two channels may sit on different shards.
        assertEquals(java.util.Set.of("first", "marker"),
                streams.deliveries(a).stream().map(d -> d.publication().data()).collect(java.util.stream.Collectors.toSet()));
        assertTrue(redis.getSet(cluster.layout().interest("1", channel)).isEmpty());
    }

    @Test
    void keepsChannelOrderAndGivesGrowingOffsets() {
        String a = unique("gw-a");
        String channel = unique("ticks");
        streams.append(new InterestChange("1", channel, a, true));
        List<Publication> publications = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            publications.add(new Publication("1", channel, "tick", Integer.toString(i), null));
        }
        shardStreams.append(publications).toCompletableFuture().join();

        await().atMost(TIMEOUT).until(() -> streams.deliveries(a).size() == 300);
        List<Delivery> deliveries = streams.deliveries(a);
        for (int i = 0; i < 300; i++) {
            assertEquals(Integer.toString(i), deliveries.get(i).publication().data());
            if (i > 0) {
                assertTrue(deliveries.get(i).offset().compareTo(deliveries.get(i - 1).offset()) > 0);
            }
        }
    }

    @Test
    void skipsAndAcknowledgesMalformedEntriesWithoutStalling() {
        String a = unique("gw-a");
        String channel = unique("orders");
        streams.append(new InterestChange("1", channel, a, true));
        int shard = cluster.shardOf("1", channel);
        RStream<String, String> stream = redis.getStream(cluster.layout().shardStream(shard), StringCodec.INSTANCE);
        stream.add(StreamAddArgs.entries(Map.of("type", "gossip", "app", "1", "channel", channel)));
        stream.add(StreamAddArgs.entries(Map.of("garbage", "yes")));
        streams.append(new Publication("1", channel, "e", "after the garbage", null));

        await().atMost(TIMEOUT).until(() -> streams.deliveries(a).size() == 1);
        assertEquals("after the garbage", streams.deliveries(a).get(0).publication().data());
        await().atMost(TIMEOUT).until(() -> stream.getPendingInfo(StreamLayout.ROUTER_GROUP).getTotal() == 0);
    }

    @Test
    void routesASteadyRunOfPublicationsOnTheRedisClientsEventLoopInChannelOrder() {
        String a = unique("gw-a");
        String b = unique("gw-b");
        String channel = unique("steady");
        streams.append(new InterestChange("1", channel, a, true), new Publication("1", channel, "tick", "first", null));
        await().atMost(TIMEOUT).until(() -> streams.deliveries(a).size() == 1);
        Counter onLoop = registry.counter("herald.router.batches.on.event.loop");
        double before = onLoop.count();

        // One at a time, each read with the writes of the one before: the steady state, until it shows
        // (after a failure in an earlier test, only once the router stops suspecting orphaned reads).
        List<String> sent = new ArrayList<>(List.of("first"));
        long deadline = System.nanoTime() + OrphanedReads.WINDOW.plus(TIMEOUT).toNanos();
        while (onLoop.count() == before && System.nanoTime() < deadline) {
            sendAndAwait(a, channel, sent);
        }
        assertTrue(onLoop.count() > before, "no batch was routed on the event loop");
        // A control entry mid-run goes back to the routing thread; the run goes on after it.
        streams.append(new InterestChange("1", channel, b, true));
        for (int i = 0; i < 20; i++) {
            sendAndAwait(a, channel, sent);
        }

        List<Delivery> deliveries = streams.deliveries(a);
        assertEquals(sent, deliveries.stream().map(d -> d.publication().data()).toList());
        for (int i = 1; i < deliveries.size(); i++) {
            assertTrue(deliveries.get(i).offset().compareTo(deliveries.get(i - 1).offset()) > 0);
        }
        await().atMost(TIMEOUT).until(() -> streams.deliveries(b).size() == 20);
        assertEquals(sent.subList(sent.size() - 20, sent.size()),
                streams.deliveries(b).stream().map(d -> d.publication().data()).toList());
    }

    private void sendAndAwait(String gateway, String channel, List<String> sent) {
        String data = Integer.toString(sent.size());
        sent.add(data);
        streams.append(new Publication("1", channel, "tick", data, null));
        // Polled closely: a run that pauses for the router's upkeep interval is not steady.
        await().atMost(TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                .until(() -> streams.deliveries(gateway).size() == sent.size());
    }
}
