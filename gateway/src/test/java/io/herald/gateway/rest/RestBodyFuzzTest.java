package io.herald.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.streams.ClusterSettings;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Random REST bodies, each a valid event or a valid event with one known defect (a wrong type, a
 * missing field, a huge or bad name, too much data, not JSON at all, a bad signature), so every
 * answer has one documented status: 200 and one entry per channel, or 400, 401, 413 and nothing
 * stored. Never a 500. Seeded, so a failure names the seed and case that reproduce it.
 *
 * <p>Plain seeded JUnit rather than jqwik: jqwik's engine runs its own lifecycle, outside the
 * {@code @QuarkusTest} extension that starts the gateway these bodies are sent to.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class RestBodyFuzzTest {

    private static final int CASES = 120;
    private static final String ALLOWED = "ABCxyz019_-=@,.;";

    @TestHTTPResource("/")
    URI root;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    private SignedPosts rest;

    @BeforeEach
    void emptyShardStreams() {
        for (int shard = 0; shard < cluster.shardCount(); shard++) {
            redis.getStream(cluster.layout().shardStream(shard)).delete();
        }
        rest = new SignedPosts(root);
    }

    /** The entries of every shard stream, counted in one round trip. */
    private long storedEntries() {
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        for (int shard = 0; shard < cluster.shardCount(); shard++) {
            batch.getStream(cluster.layout().shardStream(shard)).sizeAsync();
        }
        return batch.execute().getResponses().stream().mapToLong(size -> (Long) size).sum();
    }

    /** A body, how it is sent, the status it must get and the entries a 200 stores. */
    private record Case(String path, String body, boolean badSignature, int status, int entries, String defect) {
    }

    @ParameterizedTest
    @ValueSource(longs = {20261202L, 7L, 42L})
    void everyRandomBodyGetsItsDocumentedStatusAndRefusedOnesStoreNothing(long seed) throws Exception {
        Random random = new Random(seed);
        for (int i = 0; i < CASES; i++) {
            Case sent = random.nextInt(4) == 0 ? batchCase(random) : eventCase(random);
            long before = storedEntries();
            URI uri = rest.signed(sent.path(), sent.body());
            if (sent.badSignature()) {
                uri = URI.create(uri.toString().replaceFirst("auth_signature=.", "auth_signature=g"));
            }
            HttpResponse<String> response = rest.post(uri, sent.body());
            String which = "seed " + seed + ", case " + i + " (" + sent.defect() + "): "
                    + sent.body().substring(0, Math.min(300, sent.body().length())) + " -> " + response.body();
            assertEquals(sent.status(), response.statusCode(), which);
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""), which);
            assertEquals(sent.status() == 200 ? sent.entries() : 0, storedEntries() - before, which);
        }
    }

    private Case eventCase(Random random) {
        JsonObject event = validEvent(random, random.nextBoolean());
        int channels = event.containsKey("channels") ? event.getJsonArray("channels").size() : 1;
        if (random.nextInt(5) == 0) {
            return new Case("/apps/1/events", event.encode(), false, 200, channels, "none");
        }
        List<Defect> defects = eventDefects(random);
        Defect defect = defects.get(random.nextInt(defects.size()));
        defect.apply().accept(event);
        if (defect.name().equals("not JSON")) {
            return new Case("/apps/1/events", randomText(random, 1 + random.nextInt(200)), false, 400, 0, defect.name());
        }
        return new Case("/apps/1/events", event.encode(), defect.name().equals("bad signature"), defect.status(), 0,
                defect.name());
    }

    private Case batchCase(Random random) {
        JsonArray batch = new JsonArray();
        int events = 1 + random.nextInt(10);
        for (int i = 0; i < events; i++) {
            batch.add(validEvent(random, false));
        }
        JsonObject body = new JsonObject().put("batch", batch);
        switch (random.nextInt(6)) {
            case 0:
                return new Case("/apps/1/batch_events", body.encode(), false, 200, events, "none");
            case 1:
                for (int i = events; i <= 10; i++) {
                    batch.add(validEvent(random, false));
                }
                return new Case("/apps/1/batch_events", body.encode(), false, 400, 0, "11 or more events");
            case 2:
                body.put("batch", randomScalar(random));
                return new Case("/apps/1/batch_events", body.encode(), false, 400, 0, "batch not an array");
            case 3:
                batch.set(random.nextInt(events), randomScalar(random));
                return new Case("/apps/1/batch_events", body.encode(), false, 400, 0, "an item not an object");
            case 4:
                batch.getJsonObject(random.nextInt(events)).remove("channel");
                batch.getJsonObject(random.nextInt(events)).put("channels", new JsonArray().add("a").add("b"));
                return new Case("/apps/1/batch_events", body.encode(), false, 400, 0, "an item with several channels");
            default:
                Defect defect = eventDefects(random).get(random.nextInt(6));
                defect.apply().accept(batch.getJsonObject(random.nextInt(events)));
                return new Case("/apps/1/batch_events", body.encode(), false, defect.status(), 0, "item: " + defect.name());
        }
    }

    private record Defect(String name, int status, Consumer<JsonObject> apply) {
    }

    /** The first six apply to a batch item too. */
    private List<Defect> eventDefects(Random random) {
        List<Defect> defects = new ArrayList<>();
        defects.add(new Defect("name missing or not a string", 400, event -> {
            if (random.nextBoolean()) {
                event.remove("name");
            } else {
                event.put("name", randomScalar(random));
            }
        }));
        defects.add(new Defect("name over 200 characters", 400, event -> event.put("name", randomName(random, 201 + random.nextInt(5000)))));
        defects.add(new Defect("data missing or not a string", 400, event -> {
            if (random.nextBoolean()) {
                event.remove("data");
            } else {
                event.put("data", random.nextBoolean() ? randomScalar(random) : new JsonObject().put("k", randomText(random, 10)));
            }
        }));
        defects.add(new Defect("data over 10 KB", 413, event -> event.put("data", randomText(random, 10_241 + random.nextInt(20_000)))));
        defects.add(new Defect("bad socket_id", 400, event -> event.put("socket_id",
                random.nextBoolean() ? randomText(random, 1 + random.nextInt(30)) : randomScalar(random))));
        defects.add(new Defect("unknown info attribute", 400, event -> event.put("info", "subscription_count,x"
                + randomName(random, random.nextInt(20)))));
        defects.add(new Defect("no channel", 400, event -> {
            event.remove("channel");
            event.remove("channels");
        }));
        defects.add(new Defect("a bad channel name", 400, event -> onlyChannels(event, new JsonArray().add("ok").add(badChannel(random)))));
        defects.add(new Defect("over 100 channels", 400, event -> {
            JsonArray many = new JsonArray();
            for (int i = 0; i < 101 + random.nextInt(50); i++) {
                many.add("c" + i);
            }
            onlyChannels(event, many);
        }));
        defects.add(new Defect("channels not strings", 400, event -> onlyChannels(event, new JsonArray().add("ok").add(randomScalar(random)))));
        defects.add(new Defect("channel and channels", 400, event -> event.put("channel", "a").put("channels", new JsonArray().add("b"))));
        defects.add(new Defect("body over 64 KB", 413, event -> event.put("padding", randomText(random, 70_000))));
        defects.add(new Defect("bad signature", 401, event -> {
        }));
        defects.add(new Defect("not JSON", 400, event -> {
        }));
        return defects;
    }

    private static void onlyChannels(JsonObject event, JsonArray channels) {
        event.remove("channel");
        event.put("channels", channels);
    }

    private JsonObject validEvent(Random random, boolean manyChannels) {
        JsonObject event = new JsonObject().put("name", randomName(random, 1 + random.nextInt(200)))
                .put("data", randomText(random, random.nextInt(2000)));
        if (manyChannels) {
            JsonArray channels = new JsonArray();
            int count = 1 + random.nextInt(100);
            while (channels.size() < count) {
                String channel = randomChannel(random);
                if (!channels.contains(channel)) {
                    channels.add(channel);
                }
            }
            event.put("channels", channels);
        } else {
            event.put("channel", randomChannel(random));
        }
        if (random.nextInt(4) == 0) {
            event.put("socket_id", random.nextInt(100_000) + "." + random.nextInt(100_000));
        }
        return event;
    }

    private static String randomChannel(Random random) {
        String[] prefixes = {"", "private-", "presence-", "cache-", "private-encrypted-"};
        String prefix = prefixes[random.nextInt(prefixes.length)];
        return prefix + randomName(random, 1 + random.nextInt(164 - prefix.length()));
    }

    private static String badChannel(Random random) {
        switch (random.nextInt(4)) {
            case 0:
                return "";
            case 1:
                return randomName(random, 165 + random.nextInt(1000));
            case 2:
                String outside = "#*? []\\/:\u00e9\u4e2d";
                return randomName(random, 3) + outside.charAt(random.nextInt(outside.length())) + randomName(random, 3);
            default:
                return "#user-" + randomName(random, 5);
        }
    }

    private static String randomName(Random random, int length) {
        StringBuilder name = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            name.append(ALLOWED.charAt(random.nextInt(ALLOWED.length())));
        }
        return name.toString();
    }

    /** Any text: ASCII, control characters, quotes, accents, CJK and emoji. */
    private static String randomText(Random random, int codePoints) {
        int[] pool = {'a', 'Z', '0', ' ', '"', '\\', '{', '}', '\n', '\t', 0x01, 0xe9, 0x4e2d, 0x1f600};
        StringBuilder text = new StringBuilder(codePoints);
        for (int i = 0; i < codePoints; i++) {
            text.appendCodePoint(random.nextInt(3) == 0 ? pool[random.nextInt(pool.length)] : 'a' + random.nextInt(26));
        }
        return text.toString();
    }

    private static Object randomScalar(Random random) {
        Object[] scalars = {42, -1.5, true, false, new JsonArray().add(1), new JsonObject(), Long.MAX_VALUE};
        return scalars[random.nextInt(scalars.length)];
    }
}
