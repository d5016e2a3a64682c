package io.herald.systemtests;

import static io.herald.systemtests.PusherClients.APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pusher.rest.SignatureUtil;

import io.herald.local.LocalCluster;
import io.herald.local.NodeProcess;

/**
 * Signed-in users across gateways: events sent to {@code #server-to-user-{id}} reach the user's
 * connections wherever they are, and terminate_connections closes them all with 4009. Speaks the
 * protocol by hand, as pusher-java-client has no sign-in.
 */
class UserConnectionsTest {

    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestClusters.start(UserConnectionsTest.class, 2, 1);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A signed-in connection: its frames, and the close code once closed. */
    private record SignedIn(WebSocket socket, String socketId, BlockingQueue<JsonObject> frames,
            CompletableFuture<Integer> closed, java.util.Deque<JsonObject> putBack) {

        JsonObject next() throws InterruptedException {
            if (!putBack.isEmpty()) {
                return putBack.removeFirst();
            }
            JsonObject frame = frames.poll(20, TimeUnit.SECONDS);
            assertNotNull(frame, "no frame within 20 s");
            return frame;
        }

        /** The next frame of the given event; frames of others that come first stay for next(). */
        JsonObject next(String event) throws InterruptedException {
            java.util.List<JsonObject> skipped = new java.util.ArrayList<>();
            JsonObject frame = next();
            while (!frame.get("event").getAsString().equals(event)) {
                skipped.add(frame);
                frame = next();
            }
            skipped.forEach(putBack::addLast);
            return frame;
        }
    }

    private static HttpResponse<String> post(NodeProcess gateway, String path, String body) throws Exception {
        URI uri = SignatureUtil.uri("POST", "http", "127.0.0.1:" + gateway.httpPort(), path, body, APP.key(), APP.secret(),
                Map.of());
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A connection that got {@code pusher:connection_established}. A gateway that is not a cluster
     * member at that moment (a Lease renewal late on a loaded machine) refuses with a 4200-4299
     * error, after which Pusher clients reconnect at once: so does this, three times at most.
     */
    private static SignedIn connect(NodeProcess gateway) throws Exception {
        for (int attempt = 1; ; attempt++) {
            BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + gateway.httpPort() + "/app/" + APP.key() + "?protocol=7"),
                            new WebSocket.Listener() {
                                private final StringBuilder text = new StringBuilder();

                                @Override
                                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                    text.append(data);
                                    if (last) {
                                        frames.add(JsonParser.parseString(text.toString()).getAsJsonObject());
                                        text.setLength(0);
                                    }
                                    webSocket.request(1);
                                    return null;
                                }

                                @Override
                                public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                                    closed.complete(statusCode);
                                    return null;
                                }
                            }).get(10, TimeUnit.SECONDS);
            JsonObject first = frames.poll(20, TimeUnit.SECONDS);
            assertNotNull(first, "no handshake within 20 s");
            String event = first.get("event").getAsString();
            if (event.equals("pusher:error") && attempt < 3) {
                var code = JsonParser.parseString(first.get("data").getAsString()).getAsJsonObject().get("code");
                if (code != null && !code.isJsonNull() && code.getAsInt() >= 4200 && code.getAsInt() <= 4299) {
                    closed.get(10, TimeUnit.SECONDS);
                    continue;
                }
            }
            assertEquals("pusher:connection_established", event, first.toString());
            String socketId = JsonParser.parseString(first.get("data").getAsString()).getAsJsonObject()
                    .get("socket_id").getAsString();
            return new SignedIn(socket, socketId, frames, closed, new java.util.ArrayDeque<>());
        }
    }

    private static SignedIn signIn(NodeProcess gateway, String userId) throws Exception {
        return signIn(gateway, userId, List.of());
    }

    private static SignedIn signIn(NodeProcess gateway, String userId, List<String> watchlist) throws Exception {
        SignedIn connection = connect(gateway);
        WebSocket socket = connection.socket();
        String socketId = connection.socketId();
        String watched = watchlist.isEmpty() ? "" : ",\"watchlist\":[\"" + String.join("\",\"", watchlist) + "\"]";
        String userData = "{\"id\":\"" + userId + "\",\"user_info\":{\"name\":\"" + userId + "\"}" + watched + "}";
        JsonObject signin = new JsonObject();
        signin.addProperty("event", "pusher:signin");
        JsonObject data = new JsonObject();
        data.addProperty("auth", APP.key() + ":" + SignatureUtil.sign(socketId + "::user::" + userData, APP.secret()));
        data.addProperty("user_data", userData);
        signin.add("data", data);
        socket.sendText(signin.toString(), true).get(10, TimeUnit.SECONDS);
        assertEquals("pusher:signin_success", connection.next().get("event").getAsString());
        socket.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"#server-to-user-" + userId + "\"}}", true)
                .get(10, TimeUnit.SECONDS);
        connection.next("pusher_internal:subscription_succeeded");
        return connection;
    }

    @Test
    void eventsToAUserReachAllTheirConnectionsAndTerminateClosesThemEverywhere() throws Exception {
        String user = "user-" + System.nanoTime();
        SignedIn onFirst = signIn(cluster.gateways().get(0), user);
        SignedIn onSecond = signIn(cluster.gateways().get(1), user);
        SignedIn bystander = signIn(cluster.gateways().get(1), "bystander-" + System.nanoTime());
        NodeProcess gateway = cluster.gateways().get(0);
        try {
            // pusher-http-java refuses '#' channels; the node SDK's sendToUser posts exactly this.
            String greeting = "{\"name\":\"greeting\",\"channel\":\"#server-to-user-" + user + "\",\"data\":\"{\\\"hello\\\":\\\""
                    + user + "\\\"}\"}";
            HttpResponse<String> sent = post(gateway, "/apps/" + APP.id() + "/events", greeting);
            assertEquals(200, sent.statusCode(), sent.body());
            for (SignedIn connection : new SignedIn[] {onFirst, onSecond}) {
                JsonObject event = connection.next();
                assertEquals("greeting", event.get("event").getAsString());
                assertEquals("{\"hello\":\"" + user + "\"}", event.get("data").getAsString());
            }

            HttpResponse<String> response = post(gateway, "/apps/" + APP.id() + "/users/" + user + "/terminate_connections", "{}");
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(4009, onFirst.closed().get(20, TimeUnit.SECONDS));
            assertEquals(4009, onSecond.closed().get(20, TimeUnit.SECONDS));

            bystander.socket().sendText("{\"event\":\"pusher:ping\"}", true).get(10, TimeUnit.SECONDS);
            JsonObject pong = bystander.next();
            while (pong.get("event").getAsString().equals("pusher:error")) {
                pong = bystander.next();
            }
            assertEquals("pusher:pong", pong.get("event").getAsString(), "other users keep their connections");
        } finally {
            bystander.socket().abort();
            onFirst.socket().abort();
            onSecond.socket().abort();
        }
    }

    @Test
    void aSignedInConnectionJoinsPresenceAsItsUserWithoutChannelData() throws Exception {
        String channel = "presence-signed-" + System.nanoTime();
        SignedIn ann = signIn(cluster.gateways().get(0), "ann-" + System.nanoTime());
        SignedIn bob = signIn(cluster.gateways().get(1), "bob-" + System.nanoTime());
        try {
            for (SignedIn connection : new SignedIn[] {ann, bob}) {
                String auth = APP.key() + ":" + SignatureUtil.sign(connection.socketId() + ":" + channel, APP.secret());
                connection.socket().sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel
                        + "\",\"auth\":\"" + auth + "\"}}", true).get(10, TimeUnit.SECONDS);
                JsonObject succeeded = connection.next();
                assertEquals("pusher_internal:subscription_succeeded", succeeded.get("event").getAsString(), succeeded.toString());
            }
            JsonObject added = ann.next();
            assertEquals("pusher_internal:member_added", added.get("event").getAsString());
            JsonObject member = JsonParser.parseString(added.get("data").getAsString()).getAsJsonObject();
            assertTrue(member.get("user_id").getAsString().startsWith("bob-"), member.toString());
            assertEquals(member.get("user_id").getAsString(), member.getAsJsonObject("user_info").get("name").getAsString(),
                    "the member is the signed-in user, with the user_info of the sign-in");
        } finally {
            ann.socket().abort();
            bob.socket().abort();
        }
    }

    @Test
    void watchersHearWhenWatchedUsersComeOnlineAndGoOfflineAnywhere() throws Exception {
        String run = Long.toString(System.nanoTime());
        String watched = "watched-" + run;
        SignedIn watcher = signIn(cluster.gateways().get(0), "watcher-" + run, List.of(watched, "nobody-" + run));
        SignedIn first = signIn(cluster.gateways().get(1), watched);
        SignedIn second = null;
        SignedIn late = null;
        try {
            assertEquals("{\"events\":[{\"name\":\"online\",\"user_ids\":[\"" + watched + "\"]}]}", watchlistEvent(watcher));
            second = signIn(cluster.gateways().get(0), watched);
            late = signIn(cluster.gateways().get(1), "late-" + run, List.of(watched));
            assertEquals("{\"events\":[{\"name\":\"online\",\"user_ids\":[\"" + watched + "\"]}]}", watchlistEvent(late),
                    "a watcher signing in hears who is online already");

            first.socket().sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
            second.socket().sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
            assertEquals("{\"events\":[{\"name\":\"offline\",\"user_ids\":[\"" + watched + "\"]}]}", watchlistEvent(watcher),
                    "offline once the user's last connection is gone, and not before");
        } finally {
            watcher.socket().abort();
            first.socket().abort();
            if (second != null) {
                second.socket().abort();
            }
            if (late != null) {
                late.socket().abort();
            }
        }
    }

    /** The data of the next watchlist event the connection receives; it carries no channel. */
    private static String watchlistEvent(SignedIn connection) throws InterruptedException {
        JsonObject frame = connection.next("pusher_internal:watchlist_events");
        assertEquals(null, frame.get("channel"));
        return frame.get("data").getAsString();
    }
}
