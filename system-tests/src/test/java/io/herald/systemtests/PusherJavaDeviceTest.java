package io.herald.systemtests;

import static io.herald.systemtests.PusherClients.deviceClient;
import static io.herald.systemtests.PusherClients.publisher;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.pusher.client.Pusher;
import com.pusher.client.channel.Channel;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.data.Result;

import io.herald.local.LocalCluster;
import io.herald.local.NodeProcess;
import io.herald.recovery.pusher.HeraldRecovery;
import io.herald.recovery.pusher.Position;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * pusher-java-client with the recovery helper and a device id, against a real cluster, sent to
 * with pusher-http-java: what the device acknowledged (by itself, or by the app's {@code ack})
 * reaches Herald, and the device's next sign-in, through another gateway and another helper,
 * brings only what it had not acknowledged, in order, before the live events.
 */
class PusherJavaDeviceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestClusters.start(PusherJavaDeviceTest.class, 2, 1);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A client of the user's device and what its user channel received, as "s3@3" (n=3 at offset 3). */
    private record Device(HeraldRecovery helper, String stream, List<String> received, List<Position> positions) {

        static Device signIn(NodeProcess gateway, String user, String id, boolean autoAck) {
            Device device = new Device(deviceClient(gateway, user, id, autoAck), "#server-to-user-" + user,
                    new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
            Pusher pusher = device.helper.pusher();
            pusher.user().bind("s", device::heard);
            pusher.connect();
            pusher.signin();
            device.awaitUserChannel();
            return device;
        }

        private void heard(PusherEvent event) {
            Position position = Position.of(event).orElseThrow();
            positions.add(position);
            received.add("s" + new JsonObject(event.getData()).getLong("n") + "@" + position.offset());
        }

        /** Until the user channel's subscription succeeded: a new device starts where the stream stands then. */
        void awaitUserChannel() {
            await().atMost(TIMEOUT).alias("the user channel is subscribed").until(() -> {
                Channel channel = helper.pusher().getChannel(stream);
                return channel != null && channel.isSubscribed();
            });
        }

        void awaitReceived(String... events) {
            await().atMost(TIMEOUT).until(() -> received.size() >= events.length);
            assertEquals(List.of(events), received);
        }

        void disconnect() {
            helper.pusher().disconnect();
            await().atMost(TIMEOUT).until(() -> helper.pusher().getConnection().getState() == ConnectionState.DISCONNECTED);
        }
    }

    @Test
    void whatTheDeviceAcknowledgedByItselfIsNotSentAgainAndWhatCameWhileItWasAwayIsInOrder() throws Exception {
        String user = "ann-" + UUID.randomUUID().toString().substring(0, 8);
        try (com.pusher.rest.Pusher api = publisher(cluster.gateways().get(0))) {
            Device phone = Device.signIn(cluster.gateways().get(0), user, "phone-1", true);
            for (int n = 1; n <= 3; n++) {
                sendToUser(api, phone.stream(), n);
            }
            phone.awaitReceived("s1@1", "s2@2", "s3@3");
            awaitAcknowledged(api, user, "phone-1", 3);
            phone.disconnect();

            sendToUser(api, phone.stream(), 4);
            sendToUser(api, phone.stream(), 5);
            // Another process of the same device, through the other gateway: it knows no position, Herald does.
            Device again = Device.signIn(cluster.gateways().get(1), user, "phone-1", true);
            again.awaitReceived("s4@4", "s5@5");
            sendToUser(api, phone.stream(), 6);
            again.awaitReceived("s4@4", "s5@5", "s6@6");
            awaitAcknowledged(api, user, "phone-1", 6);
            again.disconnect();
        }
    }

    @Test
    void withAcksLeftToTheAppOnlyWhatItAcknowledgedCountsAndAnAckMadeWhileDisconnectedGoesOutAfterTheNextSignIn() throws Exception {
        String user = "bob-" + UUID.randomUUID().toString().substring(0, 8);
        try (com.pusher.rest.Pusher api = publisher(cluster.gateways().get(0))) {
            Device laptop = Device.signIn(cluster.gateways().get(0), user, "laptop-1", false);
            for (int n = 1; n <= 3; n++) {
                sendToUser(api, laptop.stream(), n);
            }
            laptop.awaitReceived("s1@1", "s2@2", "s3@3");
            laptop.helper().ack(laptop.stream(), laptop.positions().get(1));
            awaitAcknowledged(api, user, "laptop-1", 2);

            laptop.disconnect();
            laptop.helper().ack(laptop.stream(), laptop.positions().get(2));
            sendToUser(api, laptop.stream(), 4);
            // The same helper reconnects and signs in again by itself; the ack of s3 goes out then.
            laptop.helper().pusher().connect();
            // pusher-java-client 2.4.4 throws on its event thread when a signed-in client connects again after
            // disconnect() (its user channel has lost its name by then); it signs in again all the same.
            await().atMost(TIMEOUT).dontCatchUncaughtExceptions().until(() -> laptop.received().size() >= 4);
            assertEquals(List.of("s1@1", "s2@2", "s3@3", "s4@4"), laptop.received());
            awaitAcknowledged(api, user, "laptop-1", 3);
            laptop.disconnect();

            Device again = Device.signIn(cluster.gateways().get(1), user, "laptop-1", false);
            again.awaitReceived("s4@4");
            sendToUser(api, laptop.stream(), 5);
            again.awaitReceived("s4@4", "s5@5");
            again.disconnect();
        }
    }

    private static void sendToUser(com.pusher.rest.Pusher api, String stream, int n) {
        // pusher-http-java's trigger refuses '#' channels; its signed post sends what sendToUser sends.
        String event = new JsonObject().put("name", "s").put("channel", stream).put("data", "{\"n\":" + n + "}").encode();
        assertEquals(Result.Status.SUCCESS, api.post("/events", event).getStatus());
    }

    /** Until Herald's device record says the device acknowledged up to {@code offset} (acks are written every 250 ms). */
    private static void awaitAcknowledged(com.pusher.rest.Pusher api, String user, String device, long offset) {
        await().atMost(TIMEOUT).alias(device + " acknowledged " + offset).until(() -> acknowledged(api, user, device), at -> at == offset);
    }

    private static long acknowledged(com.pusher.rest.Pusher api, String user, String device) {
        Result result = api.get("/users/" + user + "/devices", Map.of());
        assertEquals(Result.Status.SUCCESS, result.getStatus(), result.getMessage());
        JsonArray devices = new JsonObject(result.getMessage()).getJsonArray("devices");
        for (int i = 0; i < devices.size(); i++) {
            if (device.equals(devices.getJsonObject(i).getString("id"))) {
                return devices.getJsonObject(i).getLong("offset");
            }
        }
        return -1;
    }
}
