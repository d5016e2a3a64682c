package io.herald.systemtests;

import static io.herald.systemtests.PusherClients.APP;
import static io.herald.systemtests.PusherClients.channels;
import static io.herald.systemtests.PusherClients.client;
import static io.herald.systemtests.PusherClients.publisher;
import static io.herald.systemtests.PusherClients.subscribe;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pusher.client.Pusher;
import com.pusher.rest.SignatureUtil;
import com.pusher.rest.data.Event;
import com.pusher.rest.data.Result;

import io.herald.local.LocalCluster;
import io.herald.local.NodeProcess;

/**
 * The REST API's channel queries and batches, asked through one gateway about subscribers on
 * both: counts are cluster-wide, presence users are counted once per user.
 */
class RestQueriesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestClusters.start(RestQueriesTest.class, 2, 1);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static JsonObject get(com.pusher.rest.Pusher api, String path, Map<String, String> parameters) {
        Result result = api.get(path, parameters);
        assertEquals(Result.Status.SUCCESS, result.getStatus(), path + " " + parameters + ": " + result.getMessage());
        return JsonParser.parseString(result.getMessage()).getAsJsonObject();
    }

    @Test
    void countsAndListsAreClusterWide() throws Exception {
        String news = channels("news", 1).get(0);
        String room = "presence-" + channels("room", 1).get(0);
        List<Pusher> clients = new ArrayList<>();
        List<PresenceTest.Tab> tabs = new ArrayList<>();
        NodeProcess asked = cluster.gateways().get(1);
        try (com.pusher.rest.Pusher api = publisher(asked)) {
            for (int gateway : new int[] {0, 0, 1}) {
                Pusher client = client(cluster.gateways().get(gateway));
                subscribe(client, List.of(news), "e");
                clients.add(client);
            }
            tabs.add(PresenceTest.join(cluster.gateways().get(0), room, "ann"));
            tabs.add(PresenceTest.join(cluster.gateways().get(1), room, "ann"));
            tabs.add(PresenceTest.join(cluster.gateways().get(1), room, "bob"));

            await().atMost(TIMEOUT).until(() -> get(api, "/channels/" + news, Map.of("info", "subscription_count"))
                    .equals(JsonParser.parseString("{\"occupied\":true,\"subscription_count\":3}")));
            JsonObject listed = get(api, "/channels", Map.of("filter_by_prefix", news.substring(0, 10),
                    "info", "subscription_count"));
            assertEquals("{\"" + news + "\":{\"subscription_count\":3}}", listed.get("channels").toString());

            JsonObject presence = get(api, "/channels", Map.of("filter_by_prefix", "presence-", "info", "user_count"));
            assertEquals(2, presence.getAsJsonObject("channels").getAsJsonObject(room).get("user_count").getAsInt());
            assertEquals("{\"occupied\":true,\"user_count\":2}",
                    get(api, "/channels/" + room, Map.of("info", "user_count")).toString());
            java.util.Set<String> users = new java.util.TreeSet<>();
            get(api, "/channels/" + room + "/users", Map.of()).getAsJsonArray("users")
                    .forEach(user -> users.add(user.getAsJsonObject().get("id").getAsString()));
            assertEquals(java.util.Set.of("ann", "bob"), users, "each user once, however many tabs");
            assertEquals("{\"occupied\":false}", get(api, "/channels/nobody-here", Map.of()).toString());

            assertEquals(400, api.get("/channels", Map.of("info", "user_count")).getHttpStatus());
            assertEquals(400, api.get("/channels/" + news + "/users").getHttpStatus());
            assertEquals(400, api.get("/channels/" + news, Map.of("info", "user_count")).getHttpStatus());

            clients.remove(0).disconnect();
            await().atMost(TIMEOUT).until(() -> get(api, "/channels/" + news, Map.of("info", "subscription_count"))
                    .get("subscription_count").getAsInt() == 2);
        } finally {
            clients.forEach(Pusher::disconnect);
            tabs.forEach(PresenceTest.Tab::close);
        }
    }

    @Test
    void eventsAnswerWithTheirChannelsInfoAndBatchesDeliverEveryEvent() throws Exception {
        List<String> names = channels("batch", 3);
        Pusher listener = client(cluster.gateways().get(0));
        try (com.pusher.rest.Pusher api = publisher(cluster.gateways().get(1))) {
            PusherClients.Received received = subscribe(listener, names, "e");
            List<Event> batch = new ArrayList<>();
            for (String name : names) {
                batch.add(new Event(name, "e", "{\"to\":\"" + name + "\"}"));
            }
            assertEquals(Result.Status.SUCCESS, api.trigger(batch).getStatus());
            await().atMost(TIMEOUT).until(() -> received.total() == 3);
            for (String name : names) {
                assertEquals(List.of("{\"to\":\"" + name + "\"}"), received.data().get(name));
            }
            List<Event> tooMany = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                tooMany.add(new Event(names.get(0), "e", "{}"));
            }
            assertEquals(400, api.trigger(tooMany).getHttpStatus());

            String body = "{\"name\":\"e\",\"channels\":[\"" + names.get(0) + "\"],\"data\":\"{}\",\"info\":\"subscription_count\"}";
            NodeProcess gateway = cluster.gateways().get(1);
            URI uri = SignatureUtil.uri("POST", "http", "127.0.0.1:" + gateway.httpPort(), "/apps/" + APP.id() + "/events",
                    body, APP.key(), APP.secret(), Map.of());
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("{\"channels\":{\"" + names.get(0) + "\":{\"subscription_count\":1}}}", response.body());
        } finally {
            listener.disconnect();
        }
    }
}
