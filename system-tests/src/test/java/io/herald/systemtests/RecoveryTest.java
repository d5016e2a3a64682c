package io.herald.systemtests;

import static io.herald.systemtests.PusherClients.publisher;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import com.pusher.rest.data.Result;

import io.herald.local.LocalCluster;
import io.herald.local.NodeProcess;
import io.herald.local.TestSocket;
import io.vertx.core.json.JsonObject;

/**
 * Herald's recovery extension on the wire, through real processes: positions on delivered
 * frames, a resubscribe that names the last one seen gets exactly what it missed before the live
 * stream, and a gap history cannot fill is said once with {@code herald:recovery_failed}. Two
 * gateways, so the subscriber comes back on another one than it left.
 */
class RecoveryTest {

    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster(TestInfo test) {
        cluster = TestClusters.start(test.getTestClass().orElseThrow(), 2, 1);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static TestSocket connect(NodeProcess gateway) throws Exception {
        TestSocket socket = TestSocket.open(gatewayUri(gateway));
        assertEquals("pusher:connection_established", socket.next().getString("event"));
        return socket;
    }

    private static JsonObject subscribe(TestSocket socket, String channel, JsonObject recover) throws Exception {
        socket.send("pusher:subscribe", new JsonObject().put("channel", channel).put("herald_recover", recover));
        JsonObject succeeded = socket.next();
        assertEquals("pusher_internal:subscription_succeeded", succeeded.getString("event"), succeeded.encode());
        return succeeded.getJsonObject("herald");
    }

    private static void publish(com.pusher.rest.Pusher api, String channel, int from, int to) {
        for (int i = from; i <= to; i++) {
            assertEquals(Result.Status.SUCCESS, api.trigger(channel, "n", "{\"n\":" + i + "}").getStatus());
        }
    }

    /** The next n frames' numbers and offsets, each of which must be an event "n". */
    private static List<long[]> numbered(TestSocket socket, int n) throws Exception {
        List<long[]> received = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JsonObject frame = socket.next();
            assertEquals("n", frame.getString("event"), frame.encode());
            received.add(new long[] {TestSocket.data(frame).getLong("n"), frame.getJsonObject("herald").getLong("offset")});
        }
        return received;
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aResubscribeWithTheLastPositionGetsWhatWasMissedInOrderThenTheLiveEvents() throws Exception {
        String channel = unique("orders");
        try (com.pusher.rest.Pusher api = publisher(cluster.gateways().get(0))) {
            String epoch;
            long lastSeen;
            try (TestSocket first = connect(cluster.gateways().get(0))) {
                JsonObject start = subscribe(first, channel, new JsonObject());
                assertTrue(start.getBoolean("recovered"));
                assertEquals(0L, start.getLong("offset"), "nothing published on the channel yet");
                epoch = start.getString("epoch");
                publish(api, channel, 1, 3);
                List<long[]> seen = numbered(first, 3);
                assertEquals(List.of(1L, 2L, 3L), seen.stream().map(pair -> pair[1]).toList());
                lastSeen = seen.get(2)[1];
            }
            publish(api, channel, 4, 8);

            try (TestSocket again = connect(cluster.gateways().get(1))) {
                JsonObject resumed = subscribe(again, channel, new JsonObject().put("epoch", epoch).put("offset", lastSeen));
                assertTrue(resumed.getBoolean("recovered"));
                assertEquals(8L, resumed.getLong("offset"));
                assertEquals(epoch, resumed.getString("epoch"));
                publish(api, channel, 9, 9);
                List<long[]> rest = numbered(again, 6);
                assertEquals(List.of(4L, 5L, 6L, 7L, 8L, 9L), rest.stream().map(pair -> pair[0]).toList(),
                        "the missed events, then the live one, each once");
                assertEquals(List.of(4L, 5L, 6L, 7L, 8L, 9L), rest.stream().map(pair -> pair[1]).toList());
            }
        }
    }

    @Test
    void aGapLongerThanTheHistoryIsSaidOnceWithRecoveryFailedAndTheLiveStreamFollows() throws Exception {
        String channel = unique("news");
        try (com.pusher.rest.Pusher api = publisher(cluster.gateways().get(0));
                TestSocket socket = connect(cluster.gateways().get(1))) {
            JsonObject start = subscribe(socket, channel, new JsonObject());
            socket.send("pusher:unsubscribe", new JsonObject().put("channel", channel));
            // The default history keeps 100 events: 150 leave a gap it cannot fill.
            publish(api, channel, 1, 150);

            JsonObject resumed = subscribe(socket, channel, start);
            assertFalse(resumed.getBoolean("recovered"));
            assertEquals(150L, resumed.getLong("offset"));
            JsonObject failed = socket.next();
            assertEquals("herald:recovery_failed", failed.getString("event"));
            assertEquals(channel, failed.getString("channel"));
            assertEquals(150L, TestSocket.data(failed).getLong("offset"));
            publish(api, channel, 151, 151);
            assertEquals(151L, numbered(socket, 1).get(0)[0], "no replay after a failed recovery, only the live stream");
        }
    }

    @Test
    void aPresenceResubscribeGetsTheMemberListWithItsPositionThenTheMissedEvents() throws Exception {
        String channel = "presence-" + unique("room");
        try (com.pusher.rest.Pusher api = publisher(cluster.gateways().get(0))) {
            JsonObject start;
            try (TestSocket first = TestSocket.open(gatewayUri(cluster.gateways().get(0)))) {
                start = subscribePresence(first, channel, "ann", new JsonObject()).getJsonObject("herald");
            }
            publish(api, channel, 1, 2);

            try (TestSocket again = TestSocket.open(gatewayUri(cluster.gateways().get(1)))) {
                JsonObject succeeded = subscribePresence(again, channel, "bob", start);
                assertEquals(List.of("bob"), TestSocket.data(succeeded).getJsonObject("presence").getJsonArray("ids").getList(),
                        "the member list comes with the recovery, as without it");
                assertTrue(succeeded.getJsonObject("herald").getBoolean("recovered"));
                assertEquals(List.of(1L, 2L), numbered(again, 2).stream().map(pair -> pair[0]).toList());
            }
        }
    }

    private static URI gatewayUri(NodeProcess gateway) {
        return URI.create("ws://127.0.0.1:" + gateway.httpPort() + "/app/" + PusherClients.APP.key() + "?protocol=7");
    }

    /** Joins a presence channel as the user, signing as the app's auth endpoint would; returns subscription_succeeded. */
    private static JsonObject subscribePresence(TestSocket socket, String channel, String user, JsonObject recover)
            throws Exception {
        String socketId = TestSocket.data(socket.next()).getString("socket_id");
        String channelData = new JsonObject().put("user_id", user).encode();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(PusherClients.APP.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal((socketId + ":" + channel + ":" + channelData)
                .getBytes(StandardCharsets.UTF_8)));
        socket.send("pusher:subscribe", new JsonObject().put("channel", channel).put("channel_data", channelData)
                .put("auth", PusherClients.APP.key() + ":" + signature).put("herald_recover", recover));
        JsonObject succeeded = socket.next();
        assertEquals("pusher_internal:subscription_succeeded", succeeded.getString("event"), succeeded.encode());
        return succeeded;
    }

    @Test
    void aMalformedRecoveryIsRefusedOnTheChannelAndTheSocketStays() throws Exception {
        try (TestSocket socket = connect(cluster.gateways().get(0))) {
            socket.send("pusher:subscribe", new JsonObject().put("channel", "x").put("herald_recover",
                    new JsonObject().put("epoch", "e").put("offset", -1)));
            JsonObject refused = socket.next();
            assertEquals("pusher:subscription_error", refused.getString("event"));
            assertEquals("InvalidRecovery", TestSocket.data(refused).getString("type"));
            assertEquals(400, TestSocket.data(refused).getInteger("status"));
            socket.assertStillServed("a bad recovery hurts only that subscription");
        }
    }
}
