package io.herald.systemtests;

import static io.herald.systemtests.PusherClients.APP;
import static io.herald.systemtests.PusherClients.authorizedClient;
import static io.herald.systemtests.PusherClients.channels;
import static io.herald.systemtests.PusherClients.publisher;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.pusher.client.Pusher;
import com.pusher.client.channel.PrivateChannel;
import com.pusher.client.channel.PrivateChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;
import com.pusher.rest.data.Result;

import io.herald.local.LocalCluster;

/**
 * Private channels and client events across two gateways, with pusher-java-client (authorized by
 * pusher-http-java's signatures) and pusher-http-java publishing.
 */
class ClientEventsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestClusters.start(ClientEventsTest.class, 2, 1);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static final String MARKER_RECEIVED = "%s {\"marker\":true}";

    /** Publishes, through the REST API, an event that every subscriber of the channel receives. */
    private static void publishMarker(String channel, String event) throws Exception {
        try (com.pusher.rest.Pusher publisher = publisher(cluster.gateways().get(1))) {
            assertEquals(Result.Status.SUCCESS, publisher.trigger(channel, event, "{\"marker\":true}").getStatus());
        }
    }

    /** A connected client, its private channel, and what it received and was told. */
    private record Member(Pusher client, PrivateChannel channel, List<String> received, List<String> errors) {
    }

    private static Member join(int gateway, String channel, String... events) throws InterruptedException {
        Pusher client = authorizedClient(cluster.gateways().get(gateway), APP.secret());
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        client.connect(new ConnectionEventListener() {
            @Override
            public void onConnectionStateChange(ConnectionStateChange change) {
            }

            @Override
            public void onError(String message, String code, Exception e) {
                errors.add(code + " " + message);
            }
        }, ConnectionState.ALL);
        PrivateChannel subscription = PusherClients.subscribePrivate(client, channel, received, errors, events);
        return new Member(client, subscription, received, errors);
    }

    @Test
    void privateChannelsDeliverToAuthorizedSubscribersAcrossGateways() throws Exception {
        String channel = "private-" + channels("orders", 1).get(0);
        Member member = join(0, channel, "created");
        try (com.pusher.rest.Pusher publisher = publisher(cluster.gateways().get(1))) {
            assertEquals(Result.Status.SUCCESS, publisher.trigger(channel, "created", "{\"id\":1}").getStatus());
            await().atMost(TIMEOUT).until(() -> member.received().size() == 1);
            assertEquals("created {\"id\":1}", member.received().get(0));
        } finally {
            member.client().disconnect();
        }
    }

    @Test
    void clientEventsReachTheOtherSubscribersOnEveryGatewayButNotTheSender() throws Exception {
        String channel = "private-" + channels("chat", 1).get(0);
        Member sender = join(0, channel, "client-typing");
        Member sameGateway = join(0, channel, "client-typing");
        Member otherGateway = join(1, channel, "client-typing");
        try {
            for (int i = 0; i < 5; i++) {
                sender.channel().trigger("client-typing", "{\"n\":" + i + "}");
            }
            await().atMost(TIMEOUT).until(() -> otherGateway.received().size() == 5 && sameGateway.received().size() == 5);
            List<String> expected = List.of("client-typing {\"n\":0}", "client-typing {\"n\":1}", "client-typing {\"n\":2}",
                    "client-typing {\"n\":3}", "client-typing {\"n\":4}");
            assertEquals(expected, otherGateway.received());
            assertEquals(expected, sameGateway.received());
            // A marker published after the client events: once the sender has it, any echo of
            // its own events, earlier in the channel, would have arrived before it.
            publishMarker(channel, "client-typing");
            await().atMost(TIMEOUT).until(() -> !sender.received().isEmpty());
            assertEquals(List.of(MARKER_RECEIVED.formatted("client-typing")), sender.received(), "never echoed to the sender");
        } finally {
            sender.client().disconnect();
            sameGateway.client().disconnect();
            otherGateway.client().disconnect();
        }
    }

    @Test
    void moreThanTenClientEventsASecondAreRejectedWith4301AndTheConnectionStays() throws Exception {
        String channel = "private-" + channels("burst", 1).get(0);
        Member sender = join(0, channel, "client-burst");
        Member receiver = join(1, channel, "client-burst");
        try {
            for (int i = 0; i < 15; i++) {
                sender.channel().trigger("client-burst", "{\"n\":" + i + "}");
            }
            await().atMost(TIMEOUT).until(() -> sender.errors().size() >= 5);
            assertTrue(sender.errors().stream().allMatch(error -> error.startsWith("4301 ")), sender.errors().toString());
            await().atMost(TIMEOUT).until(() -> receiver.received().size() >= 10);
            publishMarker(channel, "client-burst");
            String marker = MARKER_RECEIVED.formatted("client-burst");
            await().atMost(TIMEOUT).until(() -> receiver.received().contains(marker));
            int relayed = receiver.received().indexOf(marker);
            assertEquals(15, relayed + sender.errors().size(), "each event of the burst was relayed or refused");
            assertTrue(relayed <= 10, "at most 10 of the burst got through: " + relayed);
            assertEquals(ConnectionState.CONNECTED, sender.client().getConnection().getState());
        } finally {
            sender.client().disconnect();
            receiver.client().disconnect();
        }
    }

    @Test
    void aWrongSignatureIsRefusedAndNothingIsDelivered() throws Exception {
        String channel = "private-" + channels("secret", 1).get(0);
        Member legitimate = join(0, channel, "created");
        Pusher intruder = authorizedClient(cluster.gateways().get(0), "not-the-secret");
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch refused = new CountDownLatch(1);
        try (com.pusher.rest.Pusher publisher = publisher(cluster.gateways().get(1))) {
            intruder.connect();
            intruder.subscribePrivate(channel, new PrivateChannelEventListener() {
                @Override
                public void onSubscriptionSucceeded(String channelName) {
                    received.add("succeeded");
                }

                @Override
                public void onAuthenticationFailure(String message, Exception e) {
                }

                @Override
                public void onEvent(PusherEvent event) {
                    if (event.getEventName().equals("pusher:subscription_error")) {
                        refused.countDown();
                    } else {
                        received.add(event.getData());
                    }
                }
            }, "pusher:subscription_error", "created");
            assertTrue(refused.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "no subscription error");
            assertEquals(Result.Status.SUCCESS, publisher.trigger(channel, "created", "{}").getStatus());
            // The authorized subscriber on the intruder's gateway got it: the gateway has handed
            // the event to its receivers, and the intruder was not among them.
            await().atMost(TIMEOUT).until(() -> legitimate.received().size() == 1);
            assertEquals(List.of(), received);
        } finally {
            intruder.disconnect();
            legitimate.client().disconnect();
        }
    }
}
