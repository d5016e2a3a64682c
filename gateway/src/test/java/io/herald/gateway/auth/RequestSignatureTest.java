package io.herald.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.herald.gateway.apps.App;

/** Vectors from Pusher's documentation, recomputed independently (see the protocol reference). */
class RequestSignatureTest {

    private static final App APP = new App("3", "278d425bdf160c739803", "7ad3773142a6692b25b8", false, false, 0);
    private static final long SIGNED_AT = 1353088179L;
    private static final byte[] BODY = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}"
            .getBytes(StandardCharsets.UTF_8);

    private static Map<String, String> documentedPost() {
        Map<String, String> query = new HashMap<>();
        query.put("auth_key", APP.key());
        query.put("auth_timestamp", Long.toString(SIGNED_AT));
        query.put("auth_version", "1.0");
        query.put("body_md5", "ec365a775a4cd0599faeb73354201b6f");
        query.put("auth_signature", "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
        return query;
    }

    private static Optional<String> verify(String method, String path, Map<String, String> query, byte[] body, long now) {
        return RequestSignature.verify(APP, method, path, List.copyOf(query.entrySet()), body, now, 600);
    }

    /** The documented POST, re-signed with another auth_timestamp. */
    private static Map<String, String> documentedPostAt(long timestamp) {
        Map<String, String> query = documentedPost();
        query.put("auth_timestamp", Long.toString(timestamp));
        query.remove("auth_signature");
        query.put("auth_signature", Signatures.hmacSha256Hex(APP.secret(),
                RequestSignature.stringToSign("POST", "/apps/3/events", new TreeMap<>(query))));
        return query;
    }

    @Test
    void acceptsPushersDocumentedPost() {
        assertEquals(Optional.empty(), verify("POST", "/apps/3/events", documentedPost(), BODY, SIGNED_AT + 10));
    }

    @Test
    void acceptsAGetWithDecodedValuesAndKeysInAnyCase() {
        Map<String, String> query = new HashMap<>();
        query.put("AUTH_KEY", APP.key());
        query.put("auth_timestamp", Long.toString(SIGNED_AT));
        query.put("auth_version", "1.0");
        query.put("filter_by_prefix", "presence-");
        query.put("info", "user_count");
        query.put("auth_signature", "16819168891cb5dfd72b5c7a5d3d602605b26c6ba1930033b5e2eeeb65010291");
        assertEquals(Optional.empty(), verify("GET", "/apps/3/channels", query, new byte[0], SIGNED_AT));
    }

    @Test
    void rejectsATamperedSignatureAndShowsTheStringToSign() {
        Map<String, String> query = documentedPost();
        query.put("auth_signature", "ea454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
        String problem = verify("POST", "/apps/3/events", query, BODY, SIGNED_AT).orElseThrow();
        assertTrue(problem.startsWith("Invalid signature: you should have sent HmacSHA256Hex(\"POST\\n/apps/3/events\\nauth_key="),
                problem);
    }

    @Test
    void rejectsAnotherPath() {
        assertTrue(verify("POST", "/apps/3/batch_events", documentedPost(), BODY, SIGNED_AT).isPresent());
    }

    @Test
    void rejectsTimestampsOutsideTheWindowEitherWay() {
        assertTrue(verify("POST", "/apps/3/events", documentedPost(), BODY, SIGNED_AT + 601).orElseThrow()
                .startsWith("Timestamp expired"));
        assertTrue(verify("POST", "/apps/3/events", documentedPost(), BODY, SIGNED_AT - 601).isPresent());
    }

    @Test
    void rejectsATimestampWhoseDistanceFromNowOverflows() {
        assertEquals(Optional.empty(), verify("POST", "/apps/3/events", documentedPostAt(SIGNED_AT), BODY, SIGNED_AT));
        // now - (now + MIN_VALUE) overflows to MIN_VALUE, and Math.abs(MIN_VALUE) is negative.
        for (long timestamp : new long[] {SIGNED_AT + Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, SIGNED_AT + Long.MAX_VALUE}) {
            assertTrue(verify("POST", "/apps/3/events", documentedPostAt(timestamp), BODY, SIGNED_AT).orElse("accepted")
                    .startsWith("Timestamp expired"), "auth_timestamp=" + timestamp);
        }
    }

    @Test
    void rejectsAParameterGivenTwiceInAnyCase() {
        List<Map.Entry<String, String>> query = new ArrayList<>(documentedPost().entrySet());
        query.add(Map.entry("AUTH_VERSION", "1.0"));
        assertEquals(Optional.of("Query parameter 'auth_version' appears more than once; the signature cannot cover it"),
                RequestSignature.verify(APP, "POST", "/apps/3/events", query, BODY, SIGNED_AT, 600));
    }

    @Test
    void rejectsABodyThatIsNotTheOneSigned() {
        byte[] other = "{\"name\":\"foo\",\"channels\":[\"project-4\"],\"data\":\"{}\"}".getBytes(StandardCharsets.UTF_8);
        assertTrue(verify("POST", "/apps/3/events", documentedPost(), other, SIGNED_AT).orElseThrow().startsWith("body_md5"));
    }

    @Test
    void rejectsMissingOrForeignCredentials() {
        Map<String, String> query = documentedPost();
        query.put("auth_key", "someone-else");
        assertTrue(verify("POST", "/apps/3/events", query, BODY, SIGNED_AT).isPresent());
        query = documentedPost();
        query.put("auth_version", "2.0");
        assertTrue(verify("POST", "/apps/3/events", query, BODY, SIGNED_AT).isPresent());
        query = documentedPost();
        query.remove("auth_signature");
        assertTrue(verify("POST", "/apps/3/events", query, BODY, SIGNED_AT).isPresent());
    }
}
