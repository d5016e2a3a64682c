package io.herald.systemtests;

import static io.herald.systemtests.PusherClients.channels;
import static io.herald.systemtests.PusherClients.publisher;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;

import io.herald.local.LocalCluster;
import io.herald.local.NodeProcess;

/**
 * Events published through a real cluster with pusher-http-java come back, in channel order with
 * their positions, from {@code GET /apps/{id}/channels/{name}/events} on another gateway: the
 * router assigned the positions and kept the history, the gateway reads what the router wrote.
 */
class HistoryOverRestTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int EVENTS = 150;
    private static LocalCluster cluster;
    private static NodeProcess publishingGateway;

    @BeforeAll
    static void startCluster() {
        cluster = TestClusters.start(HistoryOverRestTest.class, 1, 1);
        // More than the default 100 events, so all 150 stay in the hot history.
        publishingGateway = cluster.startGateway("gateway-history", Map.of("HERALD_HISTORY_SIZE", "200"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void publishedEventsAreReadBackInOrderWithTheirPositions() throws Exception {
        String channel = channels("history", 1).get(0);
        try (Pusher api = publisher(publishingGateway)) {
            for (int n = 1; n <= EVENTS; n++) {
                Result result = api.trigger(channel, "e", "{\"n\":" + n + "}");
                assertEquals(Result.Status.SUCCESS, result.getStatus(), result.getMessage());
            }
        }
        try (Pusher reader = publisher(cluster.gateways().get(0))) {
            JsonObject all = await().atMost(TIMEOUT).until(() -> read(reader, channel, Map.of("after", "0", "limit", "1000")),
                    answer -> answer.get("offset").getAsLong() == EVENTS);
            String epoch = all.get("epoch").getAsString();
            List<Integer> published = IntStream.rangeClosed(1, EVENTS).boxed().toList();
            assertEquals(published, numbers(all, "offset"));
            assertEquals(published, numbers(all, "n"), "each event's data at its offset");
            for (JsonElement event : all.getAsJsonArray("events")) {
                assertEquals(epoch, event.getAsJsonObject().get("epoch").getAsString());
                assertEquals("e", event.getAsJsonObject().get("event").getAsString());
            }

            List<Integer> backward = new ArrayList<>();
            for (int before = EVENTS + 1; before > 1; before -= 60) {
                backward.addAll(numbers(read(reader, channel, Map.of("before", Integer.toString(before), "limit", "60")), "n"));
            }
            assertEquals(IntStream.rangeClosed(1, EVENTS).map(n -> EVENTS + 1 - n).boxed().toList(), backward);
        }
    }

    private static JsonObject read(Pusher api, String channel, Map<String, String> parameters) {
        Result result = api.get("/channels/" + channel + "/events", parameters);
        assertEquals(Result.Status.SUCCESS, result.getStatus(), parameters + ": " + result.getMessage());
        return JsonParser.parseString(result.getMessage()).getAsJsonObject();
    }

    /** The events' offsets ("offset"), or the number in their data ("n"). */
    private static List<Integer> numbers(JsonObject answer, String field) {
        List<Integer> numbers = new ArrayList<>();
        for (JsonElement element : answer.getAsJsonArray("events")) {
            JsonObject event = element.getAsJsonObject();
            numbers.add(field.equals("offset") ? event.get("offset").getAsInt()
                    : JsonParser.parseString(event.get("data").getAsString()).getAsJsonObject().get(field).getAsInt());
        }
        return numbers;
    }
}
