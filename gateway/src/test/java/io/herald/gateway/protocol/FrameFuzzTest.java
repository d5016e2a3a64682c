package io.herald.gateway.protocol;

import static io.herald.local.TestSocket.data;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.herald.gateway.fanout.LocalSubscriptions;
import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.local.TestSocket;
import io.herald.streams.Delivery;
import io.herald.streams.Publication;
import io.herald.streams.StreamOffset;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import net.jqwik.engine.SourceOfRandomness;

/**
 * Random and malformed frames, drawn by jqwik generators from a fixed seed (another with
 * {@code -Dherald.fuzz.seed=N}), each sent to a real gateway: every one gets its documented
 * answer, nothing escapes as an internal error or an error log, and a well-behaved connection on
 * the same gateway receives every publication meanwhile. Generators rather than a jqwik property
 * because the gateway under test lives in a Quarkus test, which only JUnit Jupiter runs.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class FrameFuzzTest {

    private static final int FRAMES = 300;
    private static final int PUBLISH_EVERY = 25;
    private static final int MAX_FRAME_CHARS = 65536;

    /** What a frame must be answered with, besides every answer being a documented one. */
    enum Expect {
        /** pusher:error "Malformed frame: ...", code null. */
        MALFORMED,
        /** pusher:error "Unsupported event ...", code null. */
        UNSUPPORTED,
        /** pusher:error with code null: a subscription without a usable channel. */
        UNCODED_ERROR,
        /** pusher:error 4009: a sign-in that does not hold. */
        SIGNIN_REFUSED,
        /** pusher:error 4301: a client event refused. */
        CLIENT_EVENT_REFUSED,
        /** pusher:pong. */
        PONG,
        /** Close 1009: over the frame limit. */
        TOO_BIG,
        /** Nothing in particular: subscriptions may succeed or be refused, unsubscriptions are not answered. */
        DOCUMENTED
    }

    record Fuzz(String text, Expect expect) {
    }

    private static final Set<String> ANSWERS = Set.of("pusher:error", "pusher:pong", "pusher:subscription_error",
            "pusher_internal:subscription_succeeded", "pusher:signin_success", "pusher:cache_miss");
    private static final Set<Integer> SUBSCRIPTION_STATUSES = Set.of(400, 401, 403, 4100, SubscribeLimits.TOO_MANY_CHANNELS,
            SubscribeLimits.TOO_MANY_SUBSCRIBES);

    @TestHTTPResource("/")
    URI root;

    @Inject
    LocalSubscriptions subscriptions;

    @Inject
    MembershipGuard membership;

    private TestSocket connected() throws Exception {
        TestSocket socket = TestSocket.open(URI.create(root.toString().replaceFirst("^http", "ws") + "app/herald-key?protocol=7"));
        JsonObject established = socket.next();
        assertEquals("pusher:connection_established", established.getString("event"), established.encode());
        return socket;
    }

    @Test
    void everyFuzzedFrameGetsItsDocumentedAnswerAndABystanderKeepsReceiving() throws Exception {
        long seed = Long.getLong("herald.fuzz.seed", 20261202L);
        // Outside a property jqwik samples from its thread's source of randomness, seeded here.
        SourceOfRandomness.create(String.valueOf(seed));
        Iterator<Fuzz> frames = frames().sampleStream().iterator();
        List<LogRecord> errors = new CopyOnWriteArrayList<>();
        Handler errorLog = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(errorLog);
        org.jboss.logging.Logger.getLogger(FrameFuzzTest.class).error("Errors logged from now on fail the test");
        assertEquals(1, errors.size(), "the gateway's error log is watched");
        errors.clear();
        // On a loaded machine the gateway may still be renewing its Lease, and it refuses sockets until then.
        await().atMost(Duration.ofSeconds(30)).until(membership::canServe);
        try (TestSocket bystander = connected()) {
            bystander.send("pusher:subscribe", new JsonObject().put("channel", "fuzz-bystander"));
            assertEquals("pusher_internal:subscription_succeeded", bystander.next().getString("event"));
            TestSocket fuzzer = connected();
            try {
                for (int i = 0; i < FRAMES; i++) {
                    Fuzz fuzz = frames.next();
                    String context = "seed " + seed + ", frame " + i + " (" + fuzz.expect() + "): "
                            + fuzz.text().substring(0, Math.min(300, fuzz.text().length()));
                    fuzzer.send(fuzz.text());
                    if (fuzz.expect() == Expect.TOO_BIG) {
                        assertEquals(1009, fuzzer.awaitCloseCode(), context);
                        fuzzer.close();
                        fuzzer = connected();
                    } else {
                        check(fuzz.expect(), answersUpTo(fuzzer, i), context);
                    }
                    if (i % PUBLISH_EVERY == 0) {
                        subscriptions.deliver(new Delivery(new Publication("1", "fuzz-bystander", "published-" + i, "{}", null),
                                new StreamOffset(seed, i)));
                        assertEquals("published-" + i, bystander.next().getString("event"), context);
                    }
                }
            } finally {
                fuzzer.close();
            }
            bystander.assertStillServed("the bystander's connection stays");
        } finally {
            Logger.getLogger("").removeHandler(errorLog);
        }
        assertEquals(List.of(), errors.stream().map(record -> record.getLoggerName() + ": " + record.getMessage()).toList(),
                "no error was logged while fuzzing");
    }

    /**
     * Everything the gateway answered to a frame: sends a sentinel (a subscription to a channel
     * name that is never valid, carrying the frame's number) and reads up to the error naming it.
     */
    private static List<JsonObject> answersUpTo(TestSocket socket, int frame) throws Exception {
        String sentinel = "sentinel " + frame;
        socket.send("pusher:subscribe", new JsonObject().put("channel", sentinel));
        List<JsonObject> answers = new ArrayList<>();
        for (JsonObject next = socket.next(); !isErrorNaming(next, sentinel); next = socket.next()) {
            answers.add(next);
        }
        return answers;
    }

    private static boolean isErrorNaming(JsonObject frame, String sentinel) {
        return "pusher:error".equals(frame.getString("event")) && data(frame).getString("message").contains(sentinel);
    }

    private static void check(Expect expect, List<JsonObject> answers, String context) {
        for (JsonObject answer : answers) {
            String event = answer.getString("event");
            assertTrue(ANSWERS.contains(event), context + " answered " + answer.encode());
            if (event.equals("pusher:error")) {
                Integer code = data(answer).getInteger("code");
                assertTrue(code == null || code == 4009 || code == 4301, context + " answered " + answer.encode());
                assertTrue(!data(answer).getString("message").startsWith("Internal error"), context + " answered " + answer.encode());
            }
            if (event.equals("pusher:subscription_error")) {
                assertTrue(SUBSCRIPTION_STATUSES.contains(data(answer).getInteger("status")), context + " answered " + answer.encode());
            }
        }
        if (expect == Expect.DOCUMENTED) {
            return;
        }
        boolean answered = answers.stream().anyMatch(answer -> switch (expect) {
            case MALFORMED -> isError(answer, null) && data(answer).getString("message").startsWith("Malformed frame");
            case UNSUPPORTED -> isError(answer, null) && data(answer).getString("message").startsWith("Unsupported event");
            case UNCODED_ERROR -> isError(answer, null);
            case SIGNIN_REFUSED -> isError(answer, 4009);
            case CLIENT_EVENT_REFUSED -> isError(answer, 4301);
            case PONG -> "pusher:pong".equals(answer.getString("event"));
            default -> throw new IllegalArgumentException(expect.name());
        });
        if (!answered) {
            fail(context + " expected " + expect + ", got " + answers);
        }
    }

    private static boolean isError(JsonObject answer, Integer code) {
        return "pusher:error".equals(answer.getString("event")) && Objects.equals(code, data(answer).getInteger("code"));
    }

    // ---- generators ----

    static Arbitrary<Fuzz> frames() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, garbage()),
                Tuple.of(3, mistypedEvents()),
                Tuple.of(2, unknownEvents()),
                Tuple.of(4, subscriptionsWithoutAChannel()),
                Tuple.of(4, subscriptions()),
                Tuple.of(3, signins()),
                Tuple.of(3, clientEvents()),
                Tuple.of(2, pings()),
                Tuple.of(1, tooBig()));
    }

    /** Text of any characters a client can send: lone surrogates are not UTF-8, so no WebSocket carries them. */
    static Arbitrary<String> text(int maxLength) {
        return Arbitraries.strings().ofMaxLength(maxLength).filter(s -> StandardCharsets.UTF_8.newEncoder().canEncode(s));
    }

    /** Any JSON value, with strings of any characters: as often a scalar as an array or object nested a little. */
    static Arbitrary<Object> jsonValues() {
        Arbitrary<Object> scalars = Arbitraries.oneOf(
                text(40).map(Object.class::cast),
                Arbitraries.integers().map(Object.class::cast),
                Arbitraries.doubles().between(-1e9, 1e9).map(Object.class::cast),
                Arbitraries.of(true, false).map(Object.class::cast),
                Arbitraries.<Object>just(null));
        return Arbitraries.oneOf(scalars, Arbitraries.recursive(() -> scalars, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(list -> (Object) new JsonArray(new ArrayList<>(list))),
                Arbitraries.maps(text(10), inner).ofMaxSize(4).map(map -> (Object) new JsonObject(new HashMap<>(map)))), 1, 3));
    }

    /** Not a JSON object: random text, or a valid frame cut short. */
    static Arbitrary<Fuzz> garbage() {
        Arbitrary<String> text = text(200).filter(s -> !s.strip().startsWith("{"));
        Arbitrary<String> cut = Arbitraries.integers().between(0, 40).map(end ->
                "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"x\"}}".substring(0, end));
        // A value's JSON is its one-element array's without the brackets.
        Arbitrary<String> nonObjects = jsonValues().filter(value -> !(value instanceof JsonObject))
                .map(value -> new JsonArray().add(value).encode())
                .map(array -> array.substring(1, array.length() - 1));
        return Arbitraries.oneOf(text, cut, nonObjects).map(frame -> new Fuzz(frame, Expect.MALFORMED));
    }

    /** An object whose {@code event} is missing or not a string. */
    static Arbitrary<Fuzz> mistypedEvents() {
        return jsonValues().filter(value -> !(value instanceof String))
                .map(value -> new Fuzz(new JsonObject().put("event", value).put("data", new JsonObject()).encode(), Expect.MALFORMED));
    }

    static Arbitrary<Fuzz> unknownEvents() {
        Set<String> known = Set.of("pusher:ping", "pusher:pong", "pusher:subscribe", "pusher:unsubscribe", "pusher:signin");
        return text(60)
                .flatMap(name -> Arbitraries.of("pusher:" + name, name))
                .filter(name -> !known.contains(name) && !name.startsWith("client-"))
                .flatMap(name -> jsonValues().map(data -> new Fuzz(
                        new JsonObject().put("event", name).put("data", data).encode(), Expect.UNSUPPORTED)));
    }

    /** {@code pusher:subscribe} whose data or channel is of the wrong type, or whose channel name is not valid. */
    static Arbitrary<Fuzz> subscriptionsWithoutAChannel() {
        Arbitrary<Object> badData = jsonValues().filter(value -> !(value instanceof JsonObject));
        Arbitrary<Object> badChannel = jsonValues().filter(value -> !(value instanceof String))
                .map(channel -> new JsonObject().put("channel", channel));
        Arbitrary<Object> badName = Arbitraries.oneOf(
                text(60).filter(name -> !name.isEmpty() && !name.matches("[A-Za-z0-9_\\-=@,.;]+")
                        && !name.startsWith(ChannelNames.SERVER_TO_USER_PREFIX)),
                Arbitraries.integers().between(165, 60_000).map("c"::repeat))
                .map(channel -> new JsonObject().put("channel", channel));
        return Arbitraries.oneOf(badData, badChannel, badName).map(data -> new Fuzz(
                new JsonObject().put("event", "pusher:subscribe").put("data", data).encode(), Expect.UNCODED_ERROR));
    }

    /**
     * Valid names of every kind, with random auth and channel_data, and unsubscriptions; data as an
     * object or, as some clients send it, as an object's JSON in a string.
     */
    static Arbitrary<Fuzz> subscriptions() {
        Arbitrary<String> names = Arbitraries.strings().withChars("abcXYZ019_-=@,.;").ofMinLength(1).ofMaxLength(20)
                .flatMap(name -> Arbitraries.of(name, "private-" + name, "presence-" + name, "private-encrypted-" + name,
                        "cache-" + name, ChannelNames.SERVER_TO_USER_PREFIX + name));
        Arbitrary<JsonObject> data = names.flatMap(channel -> jsonValues().flatMap(auth -> jsonValues().map(channelData ->
                new JsonObject().put("channel", channel).put("auth", auth).put("channel_data", channelData))));
        return data.flatMap(object -> Arbitraries.of(object, object.encode())).flatMap(value ->
                Arbitraries.of("pusher:subscribe", "pusher:unsubscribe").map(event -> new Fuzz(
                        new JsonObject().put("event", event).put("data", value).encode(), Expect.DOCUMENTED)));
    }

    /** {@code pusher:signin} that never holds: wrong types, unsigned, or huge. */
    static Arbitrary<Fuzz> signins() {
        Arbitrary<Object> userData = Arbitraries.oneOf(jsonValues(),
                Arbitraries.integers().between(1, 60_000).map(size -> (Object) ("{\"id\":\"" + "u".repeat(size) + "\"}")));
        return userData.flatMap(user -> jsonValues().map(auth -> new Fuzz(new JsonObject().put("event", "pusher:signin")
                .put("data", new JsonObject().put("auth", auth).put("user_data", user)).encode(), Expect.SIGNIN_REFUSED)));
    }

    /** Client events on channels this connection never joined, with any data. */
    static Arbitrary<Fuzz> clientEvents() {
        return text(300).flatMap(name -> jsonValues().flatMap(channel -> jsonValues().map(data ->
                new Fuzz(new JsonObject().put("event", "client-" + name).put("channel", channel).put("data", data).encode(),
                        Expect.CLIENT_EVENT_REFUSED))));
    }

    static Arbitrary<Fuzz> pings() {
        return jsonValues().flatMap(data -> jsonValues().map(extra -> new Fuzz(
                new JsonObject().put("event", "pusher:ping").put("data", data).put("extra", extra).encode(), Expect.PONG)));
    }

    static Arbitrary<Fuzz> tooBig() {
        return Arbitraries.integers().between(MAX_FRAME_CHARS + 1, MAX_FRAME_CHARS + 4096).map(size -> new Fuzz(
                new JsonObject().put("event", "pusher:ping").put("data", "x".repeat(size)).encode(), Expect.TOO_BIG));
    }
}
