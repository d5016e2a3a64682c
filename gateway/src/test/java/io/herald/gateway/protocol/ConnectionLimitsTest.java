package io.herald.gateway.protocol;

import static io.herald.local.TestSocket.data;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.herald.gateway.fanout.LocalSubscriptions;
import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.local.TestSocket;
import io.herald.streams.Delivery;
import io.herald.streams.Publication;
import io.herald.streams.StreamOffset;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** The limits that keep one holder of the public key from costing the cluster without bound. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class ConnectionLimitsTest {

    @TestHTTPResource("/")
    URI root;

    @Inject
    LocalSubscriptions subscriptions;

    @Inject
    AddressLimit addressLimit;

    @Inject
    Connections connections;

    private TestSocket connected(String key) throws Exception {
        TestSocket socket = TestSocket.open(URI.create(root.toString().replaceFirst("^http", "ws") + "app/" + key + "?protocol=7"));
        assertEquals("pusher:connection_established", socket.next().getString("event"));
        return socket;
    }

    private static void subscribe(TestSocket socket, String channel) throws Exception {
        socket.send("pusher:subscribe", new JsonObject().put("channel", channel));
    }

    /** The answers to subscriptions sent together, by channel: they may arrive in any order. */
    private static Map<String, JsonObject> answers(TestSocket socket, int count) throws Exception {
        Map<String, JsonObject> byChannel = new HashMap<>();
        for (int i = 0; i < count; i++) {
            JsonObject frame = socket.next();
            byChannel.put(frame.getString("channel"), frame);
        }
        return byChannel;
    }

    private void publish(String appId, String channel, String event) {
        subscriptions.deliver(new Delivery(new Publication(appId, channel, event, "{}", null),
                new StreamOffset(System.currentTimeMillis(), 0)));
    }

    @Test
    void the129thChannelIsRefusedWith4303AndTheConnectionKeepsItsChannels() throws Exception {
        try (TestSocket socket = connected("herald-key")) {
            for (int i = 0; i < 128; i++) {
                subscribe(socket, "capped-" + i);
            }
            answers(socket, 128).forEach((channel, answer) ->
                    assertEquals("pusher_internal:subscription_succeeded", answer.getString("event"), channel));

            subscribe(socket, "capped-128");
            JsonObject refused = socket.next();
            assertEquals("pusher:subscription_error", refused.getString("event"));
            assertEquals("capped-128", refused.getString("channel"));
            assertEquals("LimitReached", data(refused).getString("type"));
            assertEquals(SubscribeLimits.TOO_MANY_CHANNELS, data(refused).getInteger("status"));

            publish("1", "capped-0", "still-here");
            JsonObject delivered = socket.next();
            assertEquals("still-here", delivered.getString("event"));
            assertEquals("capped-0", delivered.getString("channel"));
        }
    }

    @Test
    void heraldsOwnUserChannelDoesNotCountAgainstTheCap() throws Exception {
        try (TestSocket socket = TestSocket.open(URI.create(root.toString().replaceFirst("^http", "ws")
                + "app/limits-key?protocol=7"))) {
            String socketId = data(socket.next()).getString("socket_id");
            String userData = "{\"id\":\"capped-user\"}";
            socket.send("pusher:signin", new JsonObject().put("user_data", userData).put("auth",
                    "limits-key:" + com.pusher.rest.SignatureUtil.sign(socketId + "::user::" + userData, "limits-secret")));
            assertEquals("pusher:signin_success", socket.next().getString("event"));
            for (int i = 0; i < 4; i++) {
                subscribe(socket, "beside-the-user-" + i);
            }
            subscribe(socket, "#server-to-user-capped-user");
            answers(socket, 5).forEach((channel, answer) ->
                    assertEquals("pusher_internal:subscription_succeeded", answer.getString("event"), channel));
        }
    }

    @Test
    void anAppsOwnLimitsReplaceTheDefaultsAndABurstPastTheRateIsRefusedThenAcceptedLater() throws Exception {
        try (TestSocket socket = connected("limits-key")) {
            for (int i = 0; i < 6; i++) {
                subscribe(socket, "app-capped-" + i);
            }
            Map<String, JsonObject> answers = answers(socket, 6);
            for (int i = 0; i < 5; i++) {
                assertEquals("pusher_internal:subscription_succeeded", answers.get("app-capped-" + i).getString("event"));
            }
            assertEquals(SubscribeLimits.TOO_MANY_CHANNELS, data(answers.get("app-capped-5")).getInteger("status"),
                    "the app holds 5 channels per connection, not 128");

            socket.send("pusher:unsubscribe", new JsonObject().put("channel", "app-capped-0"));
            socket.send("pusher:unsubscribe", new JsonObject().put("channel", "app-capped-1"));
            subscribe(socket, "too-soon");
            JsonObject refused = socket.next();
            assertEquals("pusher:subscription_error", refused.getString("event"));
            assertEquals("too-soon", refused.getString("channel"));
            assertEquals(SubscribeLimits.TOO_MANY_SUBSCRIBES, data(refused).getInteger("status"),
                    "the burst of 5 is spent and the app refills 1 per second");

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
                subscribe(socket, "in-time");
                return "pusher_internal:subscription_succeeded".equals(socket.next().getString("event"));
            });
            publish("5", "app-capped-2", "kept");
            assertEquals("kept", socket.next().getString("event"), "earlier channels still receive");
        }
    }

    @Test
    void connectionsPastTheLimitOfOneAddressAreClosedWith4101WhileTheOthersStay() throws Exception {
        try (TestSocket first = connected("herald-key"); TestSocket second = connected("other-key")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> connections.count() == 2);
            addressLimit.perAddress = 2;
            try (TestSocket refused = TestSocket.open(URI.create(root.toString().replaceFirst("^http", "ws")
                    + "app/herald-key?protocol=7"))) {
                assertEquals(CloseCodes.TOO_MANY_FROM_ADDRESS, data(refused.next()).getInteger("code"));
                assertEquals(CloseCodes.TOO_MANY_FROM_ADDRESS, refused.awaitCloseCode());
            } finally {
                addressLimit.perAddress = 0;
            }
            first.assertStillServed("connections already held stay");
            second.assertStillServed("connections already held stay");
        }
    }
}
