package io.herald.systemtests;

import static io.herald.systemtests.PusherClients.APP;
import static io.herald.systemtests.PusherClients.channels;
import static io.herald.systemtests.PusherClients.client;
import static io.herald.systemtests.PusherClients.subscribe;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import com.pusher.client.Pusher;
import com.pusher.client.channel.PrivateChannel;

import io.herald.local.AppCredentials;
import io.herald.local.LocalCluster;
import io.herald.local.MetricsScrape;
import io.herald.local.NodeProcess;
import io.herald.streams.StreamLayout;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Pusher webhooks from a cluster of two gateways and a router, to real HTTP receivers that check
 * every request's signature with pusher-http-java and, after each test, with the official
 * {@code pusher} npm SDK ({@code verify-webhooks.mjs}). The app has three webhooks: one for every
 * event of every channel, one for {@code channel_occupied} of {@code flaky-} channels whose
 * receiver answers 500 once, and one for {@code stuck-} channels whose receiver never answers. One
 * test starts a third gateway and kills it.
 */
class WebhooksTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Short, so a killed gateway is gone for its peers within seconds. */
    private static final Duration LEASE = Duration.ofSeconds(5);
    /** Well below the 3 s the gateways give a receiver: what arrives within it did not wait for a stuck one. */
    private static final Duration PROMPTLY = Duration.ofMillis(2000);

    private static WebhookReceiver all;
    private static WebhookReceiver flaky;
    private static WebhookReceiver stuck;
    /** A second app, which counts subscriptions, with one webhook for subscription_count. */
    private static final AppCredentials COUNTING = new AppCredentials("counting", "counting-key", "counting-secret");
    private static WebhookReceiver counted;
    private static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        NodeScripts.prepare();
        all = WebhookReceiver.answering(APP);
        flaky = WebhookReceiver.failingFirst(APP, 1);
        stuck = WebhookReceiver.neverAnswering(APP);
        counted = WebhookReceiver.answering(COUNTING);
        JsonArray countingApp = new JsonArray().add(new JsonObject().put("id", COUNTING.id()).put("key", COUNTING.key())
                .put("secret", COUNTING.secret()).put("subscriptionCount", true).put("webhooks", new JsonArray().add(
                        new JsonObject().put("url", counted.url().toString()).put("eventTypes", new JsonArray().add("subscription_count")))));
        JsonArray webhooks = new JsonArray()
                .add(new JsonObject().put("url", all.url().toString()))
                .add(new JsonObject().put("url", flaky.url().toString()).put("eventTypes", new JsonArray().add("channel_occupied"))
                        .put("channelPrefix", "flaky-"))
                .add(new JsonObject().put("url", stuck.url().toString()).put("channelPrefix", "stuck-"));
        cluster = TestClusters.start(WebhooksTest.class, 2, 1, LEASE, Map.of(
                "HERALD_APP_WEBHOOKS", webhooks.encode(),
                "HERALD_APPS_JSON", countingApp.encode(),
                "HERALD_WEBHOOKS_TIMEOUT", "3s",
                "HERALD_WEBHOOKS_FIRST_RETRY", "200ms",
                "HERALD_WEBHOOKS_ATTEMPTS", "3",
                // Longer than a request with its retries to the stuck receiver takes (3 x 3 s).
                "HERALD_WEBHOOKS_CLAIM_IDLE", "15s",
                "HERALD_WEBHOOKS_CLAIM_PERIOD", "2s"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        for (WebhookReceiver receiver : new WebhookReceiver[] {all, flaky, stuck, counted}) {
            if (receiver != null) {
                receiver.close();
            }
        }
    }

    @Test
    void aChannelIsOccupiedAndVacatedOnceThoughSubscribersOnBothGatewaysCameAndWent() throws Exception {
        String channel = channels("room", 1).get(0);
        Pusher first = client(gateway(0));
        Pusher second = client(gateway(1));
        subscribe(first, List.of(channel));
        await().atMost(TIMEOUT).until(() -> all.eventsOf(channel).contains("channel_occupied"));
        subscribe(second, List.of(channel));
        first.disconnect();
        second.disconnect();
        await().atMost(TIMEOUT).until(() -> all.eventsOf(channel).contains("channel_vacated"));

        assertEquals(List.of("channel_occupied", "channel_vacated"), all.eventsOf(channel),
                "one occupied when the first gateway's subscriber came, one vacated when the last one left");
        assertValidForTheSdks(all, channel);
    }

    @Test
    void aUserWithTwoSocketsIsAddedOnceAndRemovedWithTheLastSocket() throws Exception {
        String channel = "presence-" + channels("room", 1).get(0);
        PresenceTest.Tab annHere = PresenceTest.join(gateway(0), channel, "ann");
        PresenceTest.Tab annThere = PresenceTest.join(gateway(1), channel, "ann");
        annHere.close();
        // bob joins after ann's first socket left: in channel order, a member_removed for ann would come first.
        PresenceTest.Tab bob = PresenceTest.join(gateway(0), channel, "bob");
        await().atMost(TIMEOUT).until(() -> all.eventsOf(channel).contains("member_added bob"));
        assertFalse(all.eventsOf(channel).contains("member_removed ann"), "ann still has a socket in the channel");

        annThere.close();
        await().atMost(TIMEOUT).until(() -> all.eventsOf(channel).contains("member_removed ann"));
        bob.close();
        await().atMost(TIMEOUT).until(() -> all.eventsOf(channel).contains("channel_vacated"));

        assertEquals(List.of("channel_occupied", "channel_vacated", "member_added ann", "member_added bob",
                "member_removed ann", "member_removed bob"), all.eventsOf(channel).stream().sorted().toList());
        assertValidForTheSdks(all, channel);
    }

    @Test
    void clientEventsAndCacheMissesReachTheWebhookWithPushersFields() throws Exception {
        String chat = "private-" + channels("chat", 1).get(0);
        String prices = "cache-" + channels("prices", 1).get(0);
        Pusher sender = PusherClients.authorizedClient(gateway(0), APP.secret());
        Pusher subscriber = client(gateway(1));
        try {
            sender.connect();
            PrivateChannel channel = PusherClients.subscribePrivate(sender, chat, new ArrayList<>(), new ArrayList<>());
            channel.trigger("client-typing", "{\"n\":1}");
            subscribe(subscriber, List.of(prices), "pusher:cache_miss");
            await().atMost(TIMEOUT).until(() -> all.eventsOf(chat).contains("client_event")
                    && all.eventsOf(prices).contains("cache_miss"));

            JsonObject clientEvent = all.events().stream()
                    .filter(event -> chat.equals(event.getString("channel")) && "client_event".equals(event.getString("name")))
                    .findFirst().orElseThrow();
            assertEquals(new JsonObject().put("name", "client_event").put("channel", chat).put("event", "client-typing")
                    .put("data", "{\"n\":1}").put("socket_id", sender.getConnection().getSocketId()), clientEvent);
            assertEquals(List.of("cache_miss", "channel_occupied"), all.eventsOf(prices).stream().sorted().toList());
        } finally {
            sender.disconnect();
            subscriber.disconnect();
        }
        assertValidForTheSdks(all, chat);
    }

    @Test
    void anAppThatCountsSubscriptionsHearsTheClusterWideCountUntilItIsZero() throws Exception {
        String channel = channels("counted", 1).get(0);
        Pusher first = PusherClients.client(gateway(0), COUNTING);
        Pusher second = PusherClients.client(gateway(1), COUNTING);
        subscribe(first, List.of(channel));
        subscribe(second, List.of(channel));
        await().atMost(TIMEOUT).until(() -> countsHeard(channel).contains(2L));
        first.disconnect();
        second.disconnect();
        await().atMost(TIMEOUT).until(() -> lastCountHeard(channel) == 0);

        List<Long> counts = countsHeard(channel);
        assertTrue(counts.stream().allMatch(count -> count >= 0 && count <= 2), counts.toString());
        for (WebhookReceiver.Request request : counted.requests()) {
            assertTrue(request.validForJavaSdk(), "pusher-http-java refuses " + request);
            assertEquals(COUNTING.key(), request.headers().get("x-pusher-key"));
        }
    }

    /** The newest count heard, or -1 before any: read once, since the receiver's list grows while we look. */
    private static long lastCountHeard(String channel) {
        List<Long> counts = countsHeard(channel);
        return counts.isEmpty() ? -1 : counts.get(counts.size() - 1);
    }

    /** The subscription counts the counting app's webhook heard for the channel, in order. */
    private static List<Long> countsHeard(String channel) {
        return counted.events().stream()
                .filter(event -> channel.equals(event.getString("channel")) && "subscription_count".equals(event.getString("name")))
                .map(event -> event.getLong("subscription_count")).toList();
    }

    @Test
    void aReceiverThatAnswers500GetsTheSameSignedBatchAgain() throws Exception {
        String channel = "flaky-" + channels("room", 1).get(0);
        Pusher subscriber = client(gateway(0));
        try {
            subscribe(subscriber, List.of(channel));
            await().atMost(TIMEOUT).until(() -> flaky.requests().size() >= 2);
        } finally {
            subscriber.disconnect();
        }
        List<WebhookReceiver.Request> requests = flaky.requests();
        assertEquals(2, requests.size(), "answered 500 once, then 200: one retry");
        assertEquals(requests.get(0).body(), requests.get(1).body(), "the retry sends the same batch");
        assertEquals(new JsonArray().add(new JsonObject().put("name", "channel_occupied").put("channel", channel)),
                requests.get(1).events(), "only what the webhook asked for");
        await().atMost(TIMEOUT).until(() -> webhooksCounted("retried") >= 1 && webhooksCounted("delivered") >= 1);
        assertValidForTheSdks(flaky, channel);
    }

    @Test
    void aReceiverThatNeverAnswersDelaysNoOtherWebhookNorDeliveryAndIsGivenUp() throws Exception {
        String stuckChannel = "stuck-" + channels("room", 1).get(0);
        String later = channels("later", 1).get(0);
        Pusher subscriber = client(gateway(1));
        try {
            PusherClients.Received received = subscribe(subscriber, List.of(stuckChannel), "tick");
            await().atMost(TIMEOUT).until(() -> !stuck.requests().isEmpty());
            await().atMost(PROMPTLY).until(() -> all.eventsOf(stuckChannel).contains("channel_occupied"));
            subscribe(subscriber, List.of(later));
            await().atMost(PROMPTLY).until(() -> all.eventsOf(later).contains("channel_occupied"));
            try (com.pusher.rest.Pusher api = PusherClients.publisher(gateway(0))) {
                api.trigger(stuckChannel, "tick", "{}");
            }
            await().atMost(PROMPTLY).until(() -> received.total() == 1);

            await().atMost(TIMEOUT).until(() -> webhooksCounted("given_up") >= 1);
            assertEquals(3, stuck.requests().size(), "three attempts, then given up");
        } finally {
            subscriber.disconnect();
        }
    }

    @Test
    void aDeadGatewaysChannelsAreVacatedWhereItWasAloneAndItsMembersRemovedOnce() throws Exception {
        String alone = channels("alone", 1).get(0);
        String shared = "presence-" + channels("shared", 1).get(0);
        // Started for this test alone, so the other tests keep both gateways.
        NodeProcess victim = cluster.startGateway("gateway-doomed");
        Pusher lonely = client(victim);
        subscribe(lonely, List.of(alone));
        PresenceTest.Tab watcher = PresenceTest.join(gateway(0), shared, "watcher");
        PresenceTest.Tab doomed = PresenceTest.join(victim, shared, "doomed");
        try {
            await().atMost(TIMEOUT).until(() -> all.eventsOf(alone).contains("channel_occupied")
                    && all.eventsOf(shared).contains("member_added doomed"));
            victim.kill();
            await().atMost(LEASE.plus(TIMEOUT)).until(() -> all.eventsOf(alone).contains("channel_vacated")
                    && all.eventsOf(shared).contains("member_removed doomed"));

            assertEquals(List.of("channel_occupied", "channel_vacated"), all.eventsOf(alone));
            assertEquals(List.of("channel_occupied", "member_added doomed", "member_added watcher", "member_removed doomed"),
                    all.eventsOf(shared).stream().sorted().toList(), "the watcher's gateway keeps the channel occupied");

            // Its reader leaves the webhook group once idle for claim-idle, with anything it held taken over.
            RedissonClient redis = TestClusters.redis(cluster);
            try {
                RStream<String, String> facts = redis.getStream(new StreamLayout(cluster.options().clusterName()).webhooks(0),
                        StringCodec.INSTANCE);
                Duration claimIdleAndARound = Duration.ofSeconds(15 + 2).plus(TIMEOUT);
                await().atMost(claimIdleAndARound).until(() -> facts.listConsumers(StreamLayout.WEBHOOK_GROUP).stream()
                        .noneMatch(consumer -> consumer.getName().startsWith(victim.nodeId() + "@")));
                assertTrue(facts.listConsumers(StreamLayout.WEBHOOK_GROUP).stream()
                        .anyMatch(consumer -> consumer.getName().startsWith(gateway(0).nodeId() + "@")), "live gateways stay");
            } finally {
                redis.shutdown();
            }
        } finally {
            watcher.close();
            doomed.close();
            lonely.disconnect();
        }
    }

    private static NodeProcess gateway(int index) {
        return cluster.gateways().get(index);
    }

    private static double webhooksCounted(String outcome) throws Exception {
        double total = 0;
        for (NodeProcess gateway : cluster.gateways().stream().filter(NodeProcess::isAlive).toList()) {
            total += MetricsScrape.of(URI.create("http://127.0.0.1:" + gateway.httpPort()))
                    .value("herald_gateway_webhooks_total", "outcome", outcome);
        }
        return total;
    }

    /** Every request that mentions the channel passes pusher-http-java's check and the pusher npm SDK's. */
    private static void assertValidForTheSdks(WebhookReceiver receiver, String channel) throws Exception {
        List<WebhookReceiver.Request> requests = receiver.requests().stream()
                .filter(request -> request.events().stream().anyMatch(event -> channel.equals(((JsonObject) event).getString("channel"))))
                .toList();
        assertFalse(requests.isEmpty());
        JsonArray recorded = new JsonArray();
        for (WebhookReceiver.Request request : requests) {
            assertTrue(request.validForJavaSdk(), "pusher-http-java refuses " + request);
            assertEquals("application/json", request.headers().get("content-type"));
            assertEquals(APP.key(), request.headers().get("x-pusher-key"));
            recorded.add(request.asRecorded());
        }
        Path file = Files.createTempFile(Path.of("target"), "webhooks-", ".json");
        Files.writeString(file, recorded.encode());
        NodeScripts.Result result = NodeScripts.run("verify-webhooks",
                List.of("node", "verify-webhooks.mjs", file.toAbsolutePath().toString()),
                Map.of("HERALD_APP_ID", APP.id(), "HERALD_APP_KEY", APP.key(), "HERALD_APP_SECRET", APP.secret()),
                Duration.ofSeconds(60));
        List<String> lines = new ArrayList<>(result.lines());
        assertEquals(0, result.exitCode(), "the pusher npm SDK refused a request: " + lines);
        assertTrue(lines.contains(requests.size() + " valid, 0 invalid"), String.valueOf(lines));
    }
}
