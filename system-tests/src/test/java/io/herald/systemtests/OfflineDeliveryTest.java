package io.herald.systemtests;

import static io.herald.systemtests.PusherClients.publisher;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.pusher.rest.data.Result;

import io.herald.local.LocalCluster;
import io.herald.local.LocalClusterOptions;
import io.herald.local.NodeProcess;
import io.herald.local.TestSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Offline delivery with real processes and raw frames: a user with two devices, offline while
 * more events were sent than ordinary channels keep, gets at each device's sign-in every event
 * sent to the user and every event of the user's persistent subscriptions, in order, from what
 * that device acknowledged; the REST receipts say which device has what.
 */
class OfflineDeliveryTest {

    /** Ordinary channels keep 5 events; users' personal streams keep the offline default, 1000. */
    private static final int HOT_HISTORY = 5;

    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestClusters.start(OfflineDeliveryTest.class, 2, 1, LocalClusterOptions.DEFAULT_LEASE_DURATION,
                Map.of("HERALD_HISTORY_SIZE", Integer.toString(HOT_HISTORY)));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void eachDeviceGetsAtSignInWhatItHasNotAcknowledgedOfItsUsersEventsAndPersistentSubscriptionsOnce() throws Exception {
        String user = "ann-" + UUID.randomUUID().toString().substring(0, 8);
        String stream = "#server-to-user-" + user;
        String news = "news-" + UUID.randomUUID().toString().substring(0, 8);
        try (com.pusher.rest.Pusher api = publisher(cluster.gateways().get(0))) {
            subscribePersistently(api, user, news);

            String epoch;
            try (TestSocket phone = signIn(cluster.gateways().get(0), user, "phone");
                    TestSocket laptop = signIn(cluster.gateways().get(1), user, "laptop")) {
                JsonObject phoneStart = subscribeUserStream(phone, stream);
                assertEquals(0L, phoneStart.getLong("offset"), "a device never seen starts at the current position");
                subscribeUserStream(laptop, stream);
                epoch = phoneStart.getString("epoch");
                sendToUser(api, stream, 1);
                assertEquals(List.of("s1@1"), received(phone, 1));
                assertEquals(List.of("s1@1"), received(laptop, 1));
                phone.send("herald:ack", new JsonObject().put("channel", stream).put("epoch", epoch).put("offset", 1));
                await().atMost(Duration.ofSeconds(20)).until(() -> receipts(api, user, epoch, 1).getJsonArray("received")
                        .contains("phone"));
                // The laptop's sign-in is recorded by its gateway on the shared flush timer, not at once.
                await().atMost(Duration.ofSeconds(20)).alias("the laptop saw it but never acknowledged it")
                        .until(() -> receipts(api, user, epoch, 1).getJsonArray("pending").getList(), List.of("laptop")::equals);
            }

            // Both devices offline: more news than ordinary channels keep, and more events for the user.
            for (int i = 1; i <= 8; i++) {
                assertEquals(Result.Status.SUCCESS, api.trigger(news, "n", "{\"n\":" + i + "}").getStatus());
            }
            for (int i = 2; i <= 4; i++) {
                sendToUser(api, stream, i);
            }

            List<String> phoneGot;
            try (TestSocket phone = signIn(cluster.gateways().get(1), user, "phone")) {
                JsonObject resumed = subscribeUserStream(phone, stream);
                assertTrue(resumed.getBoolean("recovered"), resumed.encode());
                phoneGot = received(phone, 11);
                phone.send("herald:ack", new JsonObject().put("channel", stream).put("epoch", epoch).put("offset", 12));
                await().atMost(Duration.ofSeconds(20)).until(() -> receipts(api, user, epoch, 12).getJsonArray("received")
                        .contains("phone"));
            }
            List<String> laptopGot;
            try (TestSocket laptop = signIn(cluster.gateways().get(0), user, "laptop")) {
                assertTrue(subscribeUserStream(laptop, stream).getBoolean("recovered"));
                laptopGot = received(laptop, 12);
                laptop.send("herald:ack", new JsonObject().put("channel", stream).put("epoch", epoch).put("offset", 5));

                assertEquals(laptopGot.subList(1, 12), phoneGot, "the same events, from where each device stood");
                assertEquals("s1@1", laptopGot.get(0));
                assertEquals(List.of("s2", "s3", "s4"), ofSource(phoneGot, "s"), "what was sent to the user, in order");
                assertEquals(List.of("n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8"), ofSource(phoneGot, "n"),
                        "the persistent subscription's events, in order, though the channel keeps only " + HOT_HISTORY);
                for (int i = 0; i < phoneGot.size(); i++) {
                    assertTrue(phoneGot.get(i).endsWith("@" + (i + 2)), "positions follow each other: " + phoneGot);
                }

                // Live events after the sign-in follow without a duplicate.
                sendToUser(api, stream, 5);
                assertEquals(List.of("s5@13"), received(laptop, 1));
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> receipts(api, user, epoch, 5).getJsonArray("received").size() == 2);
            JsonObject at12 = receipts(api, user, epoch, 12);
            assertEquals(List.of("phone"), at12.getJsonArray("received").getList());
            assertEquals(List.of("laptop"), at12.getJsonArray("pending").getList());
            JsonArray devices = get(api, "/users/" + user + "/devices", Map.of()).getJsonArray("devices");
            assertEquals(2, devices.size(), devices.encode());
            JsonObject laptopRecord = devices.getJsonObject(0);
            assertEquals("laptop", laptopRecord.getString("id"));
            assertEquals(5L, laptopRecord.getLong("offset"));
            assertEquals(epoch, laptopRecord.getString("epoch"));
            assertTrue(laptopRecord.getLong("lastSeen") > 0);
            assertEquals(12L, devices.getJsonObject(1).getLong("offset"));
        }
    }

    @Test
    void aBadDeviceIdRefusesTheSignInAndAnAckWithoutADeviceIsRefusedAndTheSocketStays() throws Exception {
        try (TestSocket socket = TestSocket.open(gatewayUri(cluster.gateways().get(0)))) {
            String socketId = TestSocket.data(socket.next()).getString("socket_id");
            socket.send("pusher:signin", signin(socketId, "bob").put("herald_device", "no spaces"));
            JsonObject refused = socket.next();
            assertEquals("pusher:error", refused.getString("event"));
            assertEquals(4009, TestSocket.data(refused).getInteger("code"));
            socket.send("herald:ack", new JsonObject().put("channel", "#server-to-user-bob").put("epoch", "e").put("offset", 1));
            JsonObject ackRefused = socket.next();
            assertEquals("pusher:error", ackRefused.getString("event"));
            assertTrue(TestSocket.data(ackRefused).getString("message").contains("herald_device"), ackRefused.encode());
            socket.assertStillServed("a refused device id or ack hurts nothing else");
        }
    }

    @Test
    void aPersistentSubscriptionTakenBackIsNoLongerListedAndAUsersStreamCannotBeSubscribedTo() throws Exception {
        String user = "bob-" + UUID.randomUUID().toString().substring(0, 8);
        String channel = "private-desk-" + UUID.randomUUID().toString().substring(0, 8);
        try (com.pusher.rest.Pusher api = publisher(cluster.gateways().get(0))) {
            subscribePersistently(api, user, channel);

            HttpResponse<String> deleted = delete(cluster.gateways().get(1),
                    "/apps/" + PusherClients.APP.id() + "/users/" + user + "/subscriptions/" + channel);
            assertEquals(200, deleted.statusCode(), deleted.body());
            await().atMost(Duration.ofSeconds(20)).until(() -> get(api, "/users/" + user + "/subscriptions", Map.of())
                    .getJsonArray("channels").isEmpty());

            Result refused = api.post("/users/" + user + "/subscriptions",
                    new JsonObject().put("channel", "#server-to-user-" + user).encode());
            assertEquals(400, refused.getHttpStatus(), refused.getMessage());
        }
    }

    /** Subscribes the user to the channel over REST and waits until the channel's router applied it. */
    private static void subscribePersistently(com.pusher.rest.Pusher api, String user, String channel) {
        assertEquals(Result.Status.SUCCESS, api.post("/users/" + user + "/subscriptions",
                new JsonObject().put("channel", channel).encode()).getStatus());
        await().atMost(Duration.ofSeconds(20)).until(() -> get(api, "/users/" + user + "/subscriptions", Map.of())
                .getJsonArray("channels").contains(channel));
    }

    /** A signed DELETE, which pusher-http-java cannot send. */
    private static HttpResponse<String> delete(NodeProcess gateway, String path) throws Exception {
        String query = "auth_key=" + PusherClients.APP.key() + "&auth_timestamp=" + System.currentTimeMillis() / 1000
                + "&auth_version=1.0";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + path + "?" + query
                + "&auth_signature=" + hmac("DELETE\n" + path + "\n" + query))).DELETE().timeout(Duration.ofSeconds(20)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Signed with the app's secret, as its backend signs. */
    private static String hmac(String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(PusherClients.APP.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static void sendToUser(com.pusher.rest.Pusher api, String stream, int n) {
        // pusher-http-java's trigger refuses '#' channels; its signed post sends what sendToUser sends.
        String event = new JsonObject().put("name", "s").put("channel", stream).put("data", "{\"n\":" + n + "}").encode();
        assertEquals(Result.Status.SUCCESS, api.post("/events", event).getStatus());
    }

    /**
     * The next n events on the user stream as "s3@7" (sent to the user, n=3, offset 7) or "n5@9"
     * (a copy of the news channel's event n=5).
     */
    private static List<String> received(TestSocket socket, int n) throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JsonObject frame = socket.next();
            JsonObject data = TestSocket.data(frame);
            String name = switch (frame.getString("event")) {
                case "s" -> "s" + data.getLong("n");
                case "herald:channel_event" -> "n" + new JsonObject(data.getString("data")).getLong("n");
                default -> throw new AssertionError("unexpected frame " + frame.encode());
            };
            events.add(name + "@" + frame.getJsonObject("herald").getLong("offset"));
        }
        return events;
    }

    private static List<String> ofSource(List<String> events, String prefix) {
        return events.stream().filter(event -> event.startsWith(prefix)).map(event -> event.substring(0, event.indexOf('@')))
                .toList();
    }

    private static JsonObject receipts(com.pusher.rest.Pusher api, String user, String epoch, long offset) {
        return get(api, "/users/" + user + "/receipts", Map.of("epoch", epoch, "offset", Long.toString(offset)));
    }

    private static JsonObject get(com.pusher.rest.Pusher api, String path, Map<String, String> query) {
        Result result = api.get(path, query);
        assertEquals(Result.Status.SUCCESS, result.getStatus(), result.getMessage());
        return new JsonObject(result.getMessage());
    }

    private static TestSocket signIn(NodeProcess gateway, String user, String device) throws Exception {
        TestSocket socket = TestSocket.open(gatewayUri(gateway));
        String socketId = TestSocket.data(socket.next()).getString("socket_id");
        socket.send("pusher:signin", signin(socketId, user).put("herald_device", device));
        assertEquals("pusher:signin_success", socket.next().getString("event"));
        return socket;
    }

    /** What the app's auth endpoint returns for the user: user_data and its signature. */
    private static JsonObject signin(String socketId, String user) throws Exception {
        String userData = new JsonObject().put("id", user).encode();
        return new JsonObject().put("auth", PusherClients.APP.key() + ":" + hmac(socketId + "::user::" + userData))
                .put("user_data", userData);
    }

    /** Subscribes as pusher-js does after signing in; returns the position the subscription succeeded with. */
    private static JsonObject subscribeUserStream(TestSocket socket, String stream) throws Exception {
        socket.send("pusher:subscribe", new JsonObject().put("channel", stream));
        JsonObject succeeded = socket.next();
        assertEquals("pusher_internal:subscription_succeeded", succeeded.getString("event"), succeeded.encode());
        assertFalse(succeeded.getJsonObject("herald") == null, "a device's subscription says where it starts");
        return succeeded.getJsonObject("herald");
    }

    private static URI gatewayUri(NodeProcess gateway) {
        return URI.create("ws://127.0.0.1:" + gateway.httpPort() + "/app/" + PusherClients.APP.key() + "?protocol=7");
    }
}
