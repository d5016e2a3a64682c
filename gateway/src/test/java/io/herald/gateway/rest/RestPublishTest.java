package io.herald.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import com.pusher.rest.Pusher;
import com.pusher.rest.SignatureUtil;
import com.pusher.rest.data.Result;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.streams.ClusterSettings;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
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

    @BeforeEach
    void emptyShardStreams() {
        for (int shard = 0; shard < cluster.shardCount(); shard++) {
            redis.getStream(cluster.layout().shardStream(shard)).delete();
        }
    }

    @AfterEach
    void forgetChannelState() {
        redis.getKeys().deleteByPattern(cluster.layout().presence("1", "*"));
        redis.getKeys().deleteByPattern(cluster.layout().subscriptions("1", "*"));
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
        String expired = Long.toString(System.currentTimeMillis() / 1000 - 601);
        assertRejected(post(signedAt(expired, BODY), BODY), 401, "Timestamp expired");
    }

    @Test
    void extremeAndMalformedTimestampsAreRejectedWith401() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        // now + MIN_VALUE is the one whose distance from now is Long.MIN_VALUE, which Math.abs leaves negative.
        for (long extreme : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + now, Long.MIN_VALUE + now + 1,
                Long.MAX_VALUE - now, -now}) {
            assertRejected(post(signedAt(Long.toString(extreme), BODY), BODY), 401, "Timestamp expired");
        }
        for (String malformed : new String[] {"", "abc", "1e9", "99999999999999999999", "0x10"}) {
            assertRejected(post(signedAt(malformed, BODY), BODY), 401, "malformed auth_timestamp");
        }
    }

    @Test
    void aRepeatedQueryParameterIsRejectedWith401() throws Exception {
        URI signed = signed(BODY);
        // The signed values come first, so a server that kept the first of each name would accept these.
        for (String repeated : new String[] {"&auth_version=1.0", "&AUTH_KEY=" + KEY, "&auth_timestamp=1"}) {
            assertRejected(post(URI.create(signed + repeated), BODY), 401, "more than once");
        }
    }

    @Test
    void aPublishThatRedisPartlyRefusesStoresNothing() throws Exception {
        int refused = cluster.shardOf("1", "right");
        int accepted = cluster.shardOf("1", "left");
        assertTrue(refused != accepted, "the channels must be in different shards");
        // A stream key of the wrong type makes its XADD fail while the other one would succeed.
        redis.getBucket(cluster.layout().shardStream(refused), StringCodec.INSTANCE).set("not a stream");
        String body = new JsonObject().put("name", "e").put("channels", new JsonArray().add("left").add("right"))
                .put("data", "{}").encode();
        HttpResponse<String> response = post(signed(body), body);
        assertEquals(503, response.statusCode(), response.body());
        assertTrue(response.body().contains("not published"), response.body());
        String batch = new JsonObject().put("batch", new JsonArray()
                .add(new JsonObject().put("name", "e").put("channel", "left").put("data", "{}"))
                .add(new JsonObject().put("name", "e").put("channel", "right").put("data", "{}"))).encode();
        assertEquals(503, post(signed("/apps/1/batch_events", batch), batch).statusCode());
        assertEquals(0, redis.getStream(cluster.layout().shardStream(accepted)).size(), "the other channel got nothing");
    }

    @Test
    void infoOnAPresenceAndAPublicChannelTogetherAnswersWhatAppliesToEach() throws Exception {
        redis.getMap(cluster.layout().presence("1", "presence-room"), StringCodec.INSTANCE)
                .put("1.1", "{\"user_id\":\"ann\",\"gateway\":\"g\"}");
        redis.getMap(cluster.layout().subscriptions("1", "presence-room"), StringCodec.INSTANCE).put("g", "2");
        redis.getMap(cluster.layout().subscriptions("1", "news"), StringCodec.INSTANCE).put("g", "3");
        String body = new JsonObject().put("name", "e").put("channels", new JsonArray().add("presence-room").add("news"))
                .put("data", "{}").put("info", "user_count,subscription_count").encode();
        HttpResponse<String> response = post(signed(body), body);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(new JsonObject("{\"channels\":{\"presence-room\":{\"user_count\":1,\"subscription_count\":2},"
                + "\"news\":{\"subscription_count\":3}}}"), new JsonObject(response.body()));
        assertEquals(2, storedEntries());

        String unknown = new JsonObject().put("name", "e").put("channel", "news").put("data", "{}").put("info", "colour").encode();
        assertEquals(400, post(signed(unknown), unknown).statusCode());
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
        return signed("/apps/1/events", body);
    }

    private URI signed(String path, String body) {
        return new SignedPosts(root).signed(path, body);
    }

    /** A request to /apps/1/events signed with the given auth_timestamp, whatever it is. */
    private URI signedAt(String timestamp, String body) throws Exception {
        Map<String, String> query = new TreeMap<>();
        query.put("auth_key", KEY);
        query.put("auth_timestamp", timestamp);
        query.put("auth_version", "1.0");
        query.put("body_md5", md5(body));
        StringBuilder toSign = new StringBuilder("POST\n/apps/1/events\n");
        query.forEach((name, value) -> toSign.append(toSign.charAt(toSign.length() - 1) == '\n' ? "" : "&")
                .append(name).append('=').append(value));
        query.put("auth_signature", SignatureUtil.sign(toSign.toString(), SECRET));
        StringBuilder url = new StringBuilder(root + "apps/1/events?");
        query.forEach((name, value) -> url.append(name).append('=').append(value).append('&'));
        return URI.create(url.toString());
    }

    private HttpResponse<String> post(URI uri, String body) throws Exception {
        return new SignedPosts(root).post(uri, body);
    }

    private static String md5(String body) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
