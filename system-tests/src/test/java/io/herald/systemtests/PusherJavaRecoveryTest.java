package io.herald.systemtests;

import static io.herald.systemtests.PusherClients.APP;
import static io.herald.systemtests.PusherClients.channels;
import static io.herald.systemtests.PusherClients.client;
import static io.herald.systemtests.PusherClients.publisher;
import static io.herald.systemtests.PusherClients.recoveringClient;
import static io.herald.systemtests.PusherClients.subscribe;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.pusher.client.Pusher;
import com.pusher.client.channel.PrivateChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.data.Result;

import io.herald.local.AppCredentials;
import io.herald.local.LocalCluster;
import io.herald.local.NodeProcess;
import io.herald.recovery.pusher.HeraldRecovery;
import io.herald.recovery.pusher.Position;
import io.herald.recovery.pusher.RecoveryListener;

/**
 * pusher-java-client with Herald's recovery helper against a real cluster, published to with
 * pusher-http-java: positions are tracked; a reconnection while publishing, or a gateway killed
 * under the client, loses and repeats nothing; a gap longer than the channel's history ends in
 * an explicit failure; and an unmodified client next to the helper sees the plain protocol.
 */
class PusherJavaRecoveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** A killed gateway's restart takes 30 to 40 s on a busy two-core machine, then the client reconnects. */
    private static final Duration RECONNECTION_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration LEASE = Duration.ofSeconds(5);
    /** An app whose {@code short-} channels keep their last 3 events only. */
    private static final AppCredentials SHORT_HISTORY_APP = new AppCredentials("2", "short-key", "short-secret");
    private static final String SHORT_HISTORY_APPS = "[{\"id\":\"2\",\"key\":\"short-key\",\"secret\":\"short-secret\","
            + "\"history\":[{\"prefix\":\"short-\",\"size\":3,\"ttlSeconds\":120}]}]";

    private static final String MISSED = "{\"missed\":true}";

    private static LocalCluster cluster;
    private static NodeProcess gateway;
    private static NodeProcess shortHistoryGateway;

    @BeforeAll
    static void startCluster() {
        cluster = TestClusters.start(PusherJavaRecoveryTest.class, 1, 1, LEASE);
        gateway = cluster.gateways().get(0);
        shortHistoryGateway = cluster.startGateway("gateway-short-history", Map.of("HERALD_APPS_JSON", SHORT_HISTORY_APPS));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** What the listener of a recovering client heard: outcomes as text, in order. */
    private static final class Outcomes implements RecoveryListener {

        final List<String> heard = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onRecovered(String channel, Position from) {
            heard.add("recovered from " + from.offset());
        }

        @Override
        public void onRecoveryFailed(String channel, Position from, Position current) {
            heard.add("failed from " + from.offset() + " at " + current.offset());
        }
    }

    @Test
    void theLastPositionOfEveryChannelIsTracked() throws Exception {
        List<String> publicChannels = channels("tracked", 2);
        String privateChannel = "private-" + channels("tracked", 1).get(0);
        HeraldRecovery recovering = recoveringClient(gateway, APP);
        Pusher client = recovering.pusher();
        try {
            Map<String, List<String>> received = subscribe(client, publicChannels, "update").data();
            List<Long> privateOffsets = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch privateSubscribed = new CountDownLatch(1);
            client.subscribePrivate(privateChannel, new PrivateChannelEventListener() {
                @Override
                public void onSubscriptionSucceeded(String channelName) {
                    privateSubscribed.countDown();
                }

                @Override
                public void onAuthenticationFailure(String message, Exception e) {
                }

                @Override
                public void onEvent(PusherEvent event) {
                    privateOffsets.add(Position.of(event).orElseThrow().offset());
                }
            }, "update");
            assertTrue(privateSubscribed.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the private subscription, recovering from nothing, did not succeed");

            try (com.pusher.rest.Pusher publisher = publisher(gateway)) {
                publish(publisher, publicChannels.get(0), 3);
                publish(publisher, publicChannels.get(1), 5);
                publish(publisher, privateChannel, 2);
            }
            await().atMost(TIMEOUT).until(() -> received.get(publicChannels.get(0)).size() == 3
                    && received.get(publicChannels.get(1)).size() == 5 && privateOffsets.size() == 2);

            assertEquals(3, recovering.position(publicChannels.get(0)).orElseThrow().offset());
            assertEquals(5, recovering.position(publicChannels.get(1)).orElseThrow().offset());
            assertEquals(List.of(1L, 2L), privateOffsets);
            assertEquals(2, recovering.position(privateChannel).orElseThrow().offset());
        } finally {
            client.disconnect();
        }
    }

    @Test
    void aReconnectionWhilePublishingRecoversEveryMissedEventOnceAndInOrder() throws Exception {
        String channel = channels("reconnect", 1).get(0);
        Outcomes outcomes = new Outcomes();
        HeraldRecovery recovering = listening(recoveringClient(gateway, APP), outcomes);
        Pusher client = recovering.pusher();
        try (com.pusher.rest.Pusher publisher = publisher(gateway)) {
            List<String> received = subscribe(client, List.of(channel), "update").data().get(channel);
            Publishing publishing = new Publishing(publisher, channel, received);

            await().atMost(TIMEOUT).until(() -> received.size() >= 50);
            client.disconnect();
            await().atMost(TIMEOUT).until(() -> client.getConnection().getState() == ConnectionState.DISCONNECTED);
            int heardBeforeTheCut = received.size();
            await().atMost(TIMEOUT).until(() -> publishing.published.get() >= heardBeforeTheCut + 30);
            client.connect();

            publishing.assertRecoveredOnceInOrder(recovering, outcomes);
        } finally {
            client.disconnect();
        }
    }

    @Test
    void aGatewayKilledWhilePublishingLosesNothingForAClientThatReconnectsToItsRestart() throws Exception {
        String channel = channels("killed", 1).get(0);
        NodeProcess doomed = cluster.startGateway("gateway-recovery-doomed");
        Outcomes outcomes = new Outcomes();
        HeraldRecovery recovering = listening(recoveringClient(doomed, APP), outcomes);
        Pusher client = recovering.pusher();
        NodeProcess restarted = null;
        try (com.pusher.rest.Pusher publisher = publisher(gateway)) {
            List<String> received = subscribe(client, List.of(channel), "update").data().get(channel);
            Publishing publishing = new Publishing(publisher, channel, received);

            await().atMost(TIMEOUT).until(() -> received.size() >= 50);
            doomed.kill();
            // Same port: the client reconnects there on its own, after its back-off, as to a restarted pod behind a Service.
            restarted = doomed.startAgain();
            restarted.awaitReady(TIMEOUT);

            publishing.assertRecoveredOnceInOrder(recovering, outcomes);
        } finally {
            client.disconnect();
            if (restarted != null) {
                restarted.stop(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void aGapLongerThanTheChannelsHistoryEndsInRecoveryFailed() throws Exception {
        String channel = "short-" + channels("gap", 1).get(0);
        Outcomes outcomes = new Outcomes();
        HeraldRecovery recovering = listening(recoveringClient(shortHistoryGateway, SHORT_HISTORY_APP), outcomes);
        Pusher client = recovering.pusher();
        try (com.pusher.rest.Pusher publisher = publisher(shortHistoryGateway, SHORT_HISTORY_APP)) {
            List<String> received = subscribe(client, List.of(channel), "update", "herald:recovery_failed").data().get(channel);
            publish(publisher, channel, 1);
            await().atMost(TIMEOUT).until(() -> received.size() == 1);

            client.disconnect();
            await().atMost(TIMEOUT).until(() -> client.getConnection().getState() == ConnectionState.DISCONNECTED);
            publish(publisher, channel, 10);
            client.connect();
            await().atMost(TIMEOUT).until(() -> received.size() == 2);
            assertEquals(List.of("failed from 1 at 11"), outcomes.heard);
            assertEquals(Optional.of(11L), recovering.position(channel).map(Position::offset));

            assertEquals(Result.Status.SUCCESS, publisher.trigger(channel, "update", "{\"after\":true}").getStatus());
            await().atMost(TIMEOUT).until(() -> received.size() == 3);
            assertEquals("{\"seq\":0}", received.get(0));
            assertTrue(received.get(1).contains("\"offset\":11"), "herald:recovery_failed names the current position: " + received.get(1));
            assertEquals("{\"after\":true}", received.get(2));
            assertEquals(12, recovering.position(channel).orElseThrow().offset());
        } finally {
            client.disconnect();
        }
    }

    @Test
    void anUnmodifiedClientKeepsThePlainProtocolNextToTheHelper() throws Exception {
        String channel = channels("plain", 1).get(0);
        HeraldRecovery recovering = recoveringClient(gateway, APP);
        Pusher plain = client(gateway);
        Pusher helped = recovering.pusher();
        try (com.pusher.rest.Pusher publisher = publisher(gateway)) {
            List<String> plainHeard = subscribe(plain, List.of(channel), "update").data().get(channel);
            List<String> helpedHeard = subscribe(helped, List.of(channel), "update").data().get(channel);
            List<String> plainEvents = Collections.synchronizedList(new ArrayList<>());
            plain.getChannel(channel).bindGlobal(event -> plainEvents.add(event.getEventName()));
            publish(publisher, channel, 2);
            await().atMost(TIMEOUT).until(() -> plainHeard.size() == 2 && helpedHeard.size() == 2);

            plain.disconnect();
            await().atMost(TIMEOUT).until(() -> plain.getConnection().getState() == ConnectionState.DISCONNECTED);
            assertEquals(Result.Status.SUCCESS, publisher.trigger(channel, "update", MISSED).getStatus());
            plain.connect();
            // The plain client cannot say when it has resubscribed: publish live events until it hears one.
            AtomicInteger live = new AtomicInteger();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                publisher.trigger(channel, "update", "{\"live\":" + live.getAndIncrement() + "}");
                return plainHeard.size() > 2;
            });
            await().atMost(TIMEOUT).until(() -> helpedHeard.size() == 3 + live.get());

            // Without the helper nothing is recovered and nothing of Herald's shows: the missed event stays missed.
            assertEquals(List.of("{\"seq\":0}", "{\"seq\":1}"), List.copyOf(plainHeard).subList(0, 2));
            assertFalse(plainHeard.contains(MISSED));
            assertTrue(List.copyOf(plainEvents).stream().allMatch("update"::equals), "events the plain client saw: " + plainEvents);
            assertEquals(List.of("{\"seq\":0}", "{\"seq\":1}", MISSED, "{\"live\":0}"), List.copyOf(helpedHeard).subList(0, 4));
        } finally {
            plain.disconnect();
            helped.disconnect();
        }
    }

    /**
     * Numbered events published from another thread, never more than 60 ahead of what the client
     * heard, so a gap stays inside the channel's 100 events of history however long a
     * reconnection takes.
     */
    private static final class Publishing {

        private static final int TOTAL = 300;
        final AtomicInteger published = new AtomicInteger();
        private final List<String> sent = new ArrayList<>();
        private final String channel;
        private final List<String> received;
        private final CompletableFuture<Void> done;

        Publishing(com.pusher.rest.Pusher publisher, String channel, List<String> received) {
            this.channel = channel;
            this.received = received;
            for (int i = 0; i < TOTAL; i++) {
                sent.add("{\"seq\":" + i + "}");
            }
            done = CompletableFuture.runAsync(() -> {
                for (String data : sent) {
                    await().atMost(RECONNECTION_TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> published.get() - received.size() < 60);
                    Result result = publisher.trigger(channel, "update", data);
                    assertEquals(Result.Status.SUCCESS, result.getStatus(), result.getMessage());
                    published.incrementAndGet();
                }
            });
        }

        void assertRecoveredOnceInOrder(HeraldRecovery recovering, Outcomes outcomes) throws Exception {
            done.get(RECONNECTION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(TIMEOUT).until(() -> received.size() >= TOTAL);
            assertEquals(sent, List.copyOf(received), "every event once, in order");
            assertEquals(1, outcomes.heard.size(), "outcomes: " + outcomes.heard);
            assertTrue(outcomes.heard.get(0).startsWith("recovered from "), "outcomes: " + outcomes.heard);
            assertEquals(TOTAL, recovering.position(channel).orElseThrow().offset());
        }
    }

    private static HeraldRecovery listening(HeraldRecovery recovering, RecoveryListener listener) {
        recovering.addListener(listener);
        return recovering;
    }

    private static void publish(com.pusher.rest.Pusher publisher, String channel, int count) {
        for (int i = 0; i < count; i++) {
            Result result = publisher.trigger(channel, "update", "{\"seq\":" + i + "}");
            assertEquals(Result.Status.SUCCESS, result.getStatus(), result.getMessage());
        }
    }
}
