package io.herald.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** pusher-js's HTTP transports as plain HTTP: the answers a client gets that pusher-js alone does not show. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class XhrTransportsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URI root;

    @Inject
    Connections connections;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** A session path no other test uses: {key}/{server}/{session}/. */
    private static String session(String key) {
        return key + "/7/" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(root.resolve("pusher/app/" + path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The Pusher frames of one {@code a[...]} line. */
    private static JsonArray frames(String line) {
        assertTrue(line.startsWith("a[") && line.endsWith("]"), line);
        return new JsonArray(line.substring(1));
    }

    @Test
    void aPreflightLetsAPageOfAnyOriginPostJson() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(root.resolve("pusher/app/" + session("herald-key") + "xhr_send"))
                .timeout(TIMEOUT).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://app.example.com").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, answer.statusCode());
        assertEquals("*", answer.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertTrue(answer.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().contains("POST"));
        assertEquals("content-type", answer.headers().firstValue("Access-Control-Allow-Headers").orElseThrow());
    }

    @Test
    void aPollOpensTheSessionWithTheHandshakeAndTheNextPollAnswersWhatWasSent() throws Exception {
        String session = session("herald-key");
        HttpResponse<String> opened = post(session + "xhr?protocol=7&client=js&version=8.6.0&t=1&n=1", "");
        assertEquals(200, opened.statusCode());
        assertEquals("*", opened.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        String[] lines = opened.body().split("\n");
        assertEquals("o", lines[0]);
        JsonObject established = new JsonObject(frames(lines[1]).getString(0));
        assertEquals("pusher:connection_established", established.getString("event"));
        assertTrue(new JsonObject(established.getString("data")).getString("socket_id").matches("\\d+\\.\\d+"));

        HttpResponse<String> sent = post(session + "xhr_send?t=2&n=2", new JsonArray().add("{\"event\":\"pusher:ping\",\"data\":{}}").encode());
        assertEquals(204, sent.statusCode());
        HttpResponse<String> polled = post(session + "xhr?protocol=7&t=3&n=3", "");
        assertEquals("pusher:pong", new JsonObject(frames(polled.body().strip()).getString(0)).getString("event"));
    }

    @Test
    void aSendToASessionThisGatewayDoesNotHoldIs404AndABodyThatIsNotAFrameArrayIs400AndOneTooLarge413() throws Exception {
        assertEquals(404, post(session("herald-key") + "xhr_send", "[]").statusCode());

        String session = session("herald-key");
        post(session + "xhr?protocol=7", "");
        HttpResponse<String> broken = post(session + "xhr_send", "{\"event\":\"pusher:ping\"}");
        assertEquals(400, broken.statusCode());
        assertEquals("Broken JSON encoding: expected a JSON array of frames as strings", broken.body());
        assertEquals(204, post(session + "xhr_send", "[]").statusCode(), "an empty array is pusher-js's ping");
        HttpResponse<String> tooLarge = post(session + "xhr_send", new JsonArray().add("x".repeat(70_000)).encode());
        assertEquals(413, tooLarge.statusCode());
        assertEquals("*", tooLarge.headers().firstValue("Access-Control-Allow-Origin").orElseThrow(), "a page must be able to read it");
    }

    @Test
    void aSessionPastTheAppsConnectionQuotaIsOpenedOnlyToBeToldAndClosedWith4004() throws Exception {
        try {
            post(session("quota-key") + "xhr?protocol=7", "");
            post(session("quota-key") + "xhr?protocol=7", "");
            String[] lines = post(session("quota-key") + "xhr?protocol=7", "").body().split("\n");
            assertEquals(3, lines.length, String.join("|", lines));
            assertEquals("o", lines[0]);
            JsonObject error = new JsonObject(new JsonObject(frames(lines[1]).getString(0)).getString("data"));
            assertEquals(4004, error.getInteger("code"));
            JsonArray close = new JsonArray(lines[2].substring(1));
            assertEquals(4004, close.getInteger(0));
            assertEquals(error.getString("message"), close.getString(1));
        } finally {
            // Sessions outlive their requests: the quota is the app's for the other tests too.
            connections.all().forEach(connection -> {
                if (connection.app().key().equals("quota-key")) {
                    connection.close(CloseCodes.RECONNECT, "test over");
                }
            });
        }
    }
}
