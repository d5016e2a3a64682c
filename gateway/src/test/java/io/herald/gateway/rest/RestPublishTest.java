package io.herald.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

import com.pusher.rest.Pusher;
import com.pusher.rest.SignatureUtil;
import com.pusher.rest.data.Result;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.streams.ClusterSettings;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** The signed REST publish endpoint, driven by pusher-http-java and by hand-made bad requests. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class RestPublishTest {

    private static final String KEY = "herald-key";
    private static final String SECRET = "herald-secret";
    private static final String BODY = "{\"name\":\"e\",\"channels\":[\"c\"],\"data\":\"{}\"}";

    @TestHTTPResource("/")
    URI root;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void emptyShardStreams() {
        for (int shard = 0; shard < cluster.shardCount(); shard++) {
            redis.getStream(cluster.layout().shardStream(shard)).delete();
        }
    }

    private long storedEntries() {
        long entries = 0;
        for (int shard = 0; shard < cluster.shardCount(); shard++) {
            entries += redis.getStream(cluster.layout().shardStream(shard)).size();
        }
        return entries;
    }

    private Pusher sdk(String secret) {
        Pusher pusher = new Pusher("1", KEY, secret);
        pusher.setHost(root.getHost() + ":" + root.getPort());
        pusher.setEncrypted(false);
        return pusher;
    }

    @Test
    void theOfficialSdkPublishesAndEveryChannelGetsAnEntry() {
        Result result = sdk(SECRET).trigger(List.of("orders", "invoices", "news"), "created", Map.of("id", 7));
        assertEquals(Result.Status.SUCCESS, result.getStatus(), result.getMessage());
        assertEquals("{}", result.getMessage());
        assertEquals(3, storedEntries());
    }

    @Test
    void aWrongSecretIsRejected() {
        Result result = sdk("not-the-secret").trigger("orders", "created", Map.of("id", 7));
        assertEquals(401, result.getHttpStatus());
        assertEquals(0, storedEntries());
    }

    @Test
    void aTamperedSignatureIsRejectedWith401() throws Exception {
        URI signed = signed(BODY);
        String query = signed.getRawQuery().replaceAll("auth_signature=([0-9a-f])", "auth_signature=x");
        HttpResponse<String> response = post(URI.create(signed.toString().replace(signed.getRawQuery(), query)), BODY);
        assertRejected(response, 401, "Invalid signature");
    }

    @Test
    void anExpiredTimestampIsRejectedWith401() throws Exception {
        Map<String, String> query = new TreeMap<>();
        query.put("auth_key", KEY);
        query.put("auth_timestamp", Long.toString(System.currentTimeMillis() / 1000 - 601));
        query.put("auth_version", "1.0");
        query.put("body_md5", md5(BODY));
        StringBuilder toSign = new StringBuilder("POST\n/apps/1/events\n");
        query.forEach((name, value) -> toSign.append(toSign.charAt(toSign.length() - 1) == '\n' ? "" : "&")
                .append(name).append('=').append(value));
        query.put("auth_signature", SignatureUtil.sign(toSign.toString(), SECRET));
        StringBuilder url = new StringBuilder(root + "apps/1/events?");
        query.forEach((name, value) -> url.append(name).append('=').append(value).append('&'));
        assertRejected(post(URI.create(url.toString()), BODY), 401, "Timestamp expired");
    }

    @Test
    void aBodyOtherThanTheSignedOneIsRejectedWith401() throws Exception {
        String other = "{\"name\":\"e\",\"channels\":[\"d\"],\"data\":\"{}\"}";
        assertRejected(post(signed(BODY), other), 401, "body_md5");
    }

    @Test
    void oneAppsCredentialsCannotPublishToAnother() throws Exception {
        URI signed = SignatureUtil.uri("POST", "http", root.getHost() + ":" + root.getPort(), "/apps/2/events", BODY, KEY,
                SECRET, Map.of());
        assertRejected(post(signed, BODY), 401, "auth_key");
    }

    @Test
    void anUnknownAppIsA404() throws Exception {
        URI signed = SignatureUtil.uri("POST", "http", root.getHost() + ":" + root.getPort(), "/apps/99/events", BODY, KEY,
                SECRET, Map.of());
        assertRejected(post(signed, BODY), 404, "Unknown app");
    }

    @Test
    void malformedBodiesAre400WithAReason() throws Exception {
        String[] bodies = {
            "not json",
            "{\"channels\":[\"c\"],\"data\":\"{}\"}",
            "{\"name\":\"e\",\"channels\":[\"c\"],\"data\":{\"an\":\"object\"}}",
            "{\"name\":\"e\",\"data\":\"{}\"}",
            "{\"name\":\"e\",\"channels\":[],\"data\":\"{}\"}",
            "{\"name\":\"e\",\"channels\":[\"bad channel\"],\"data\":\"{}\"}",
            "{\"name\":\"e\",\"channel\":\"c\",\"channels\":[\"c\"],\"data\":\"{}\"}",
            "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"{}\",\"socket_id\":\"abc\"}",
        };
        for (String body : bodies) {
            HttpResponse<String> response = post(signed(body), body);
            assertEquals(400, response.statusCode(), body + " -> " + response.body());
            assertTrue(new JsonObject(response.body()).getString("error").length() > 5, response.body());
        }
        assertEquals(0, storedEntries());
    }

    @Test
    void dataOver10KilobytesIsA413() throws Exception {
        String body = new JsonObject().put("name", "e").put("channel", "c").put("data", "x".repeat(10 * 1024 + 1)).encode();
        assertRejected(post(signed(body), body), 413, "'data' is larger");
    }

    private void assertRejected(HttpResponse<String> response, int status, String reason) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(new JsonObject(response.body()).getString("error").contains(reason), response.body());
        assertEquals(0, storedEntries());
    }

    private URI signed(String body) {
        return SignatureUtil.uri("POST", "http", root.getHost() + ":" + root.getPort(), "/apps/1/events", body, KEY, SECRET,
                Map.of());
    }

    private HttpResponse<String> post(URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String md5(String body) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
