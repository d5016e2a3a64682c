package io.herald.gateway.history;

import static io.herald.gateway.history.HistoryReads.offsets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import jakarta.inject.Inject;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.pusher.rest.data.Result;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.streams.ClusterSettings;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /apps/{id}/channels/{name}/events} asked through pusher-http-java, which signs the
 * query as it signs every GET. The gateway module runs no router and no archiver, so the position
 * records, history streams and archive documents are written here as those would write them.
 */
@QuarkusTest
@TestProfile(HistoryReadTest.WithArchive.class)
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
@WithTestResource(MongoTestResource.class)
class HistoryReadTest {

    /**
     * A profile of its own, so Quarkus builds the application again for this set of test
     * resources: the Kubernetes client's API server URL is fixed at build time, and a restart
     * alone would keep the URL of the previous set's API server, which is gone.
     */
    public static class WithArchive implements QuarkusTestProfile {
    }

    private static final String APP = HistoryReads.APP;
    private static final AtomicLong ARCHIVE_CLOCK = new AtomicLong(System.currentTimeMillis());

    @TestHTTPResource("/")
    URI root;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    MongoClient mongo;

    private HistoryReads reads;

    @BeforeEach
    void signedReads() {
        reads = new HistoryReads(root);
    }

    @AfterEach
    void forgetHistory() {
        HistoryReads.forgetHot(redis, cluster.layout());
        archive().deleteMany(new Document());
    }

    @Test
    void offsetsArchivedAndStillHotAreReadOnceEachAndInOrder() {
        archive("chat", "e1", 1, 300);
        hot("chat", "e1", 201, 300);

        assertEquals(range(1, 300), offsets(reads.read("chat", Map.of("after", "0", "limit", "1000"))));
        List<Long> paged = new ArrayList<>();
        for (long after = 0; after < 300; after += 70) {
            paged.addAll(offsets(reads.read("chat", Map.of("after", Long.toString(after), "limit", "70"))));
        }
        assertEquals(range(1, 300), paged, "forward pages of 70 meet without a seam");
        List<Long> backward = new ArrayList<>();
        for (long before = 301; before > 1; before -= 70) {
            backward.addAll(offsets(reads.read("chat", Map.of("before", Long.toString(before), "limit", "70"))));
        }
        assertEquals(reversed(range(1, 300)), backward, "backward pages of 70 meet without a seam");
        assertEquals(range(151, 250), offsets(reads.read("chat", Map.of("after", "150"))), "a page across the boundary");
        assertEquals(reversed(range(191, 210)), offsets(reads.read("chat", Map.of("before", "211", "limit", "20"))));
    }

    @Test
    void whatTheHotHistoryHoldsComesFromRedisWithTheChannelsPosition() {
        archive("chat", "e1", 1, 100);
        hot("chat", "e1", 51, 100);
        redis.getStream(cluster.layout().history(APP, "chat"), StringCodec.INSTANCE)
                .add(new StreamMessageId(101, 0), StreamAddArgs.entries(Map.of("event", "only-hot", "data", "{}")));
        redis.getMap(cluster.layout().position(APP, "chat"), StringCodec.INSTANCE).put("offset", "101");

        JsonObject answer = reads.read("chat", Map.of("after", "99"));
        assertEquals("e1", answer.getString("epoch"));
        assertEquals(101L, answer.getLong("offset"));
        assertEquals(List.of("event-100", "only-hot"), names(answer), "101 is in Redis only: the archive lags");
    }

    @Test
    void withoutAnAnchorTheNewestComeFirstAndForwardWalksFromTheOldest() {
        archive("news", "e1", 1, 150);
        hot("news", "e1", 101, 250);

        assertEquals(reversed(range(151, 250)), offsets(reads.read("news", Map.of())));
        assertEquals(range(1, 10), offsets(reads.read("news", Map.of("direction", "forward", "limit", "10"))));
        assertEquals(reversed(range(241, 250)), offsets(reads.read("news", Map.of("after", "20", "direction", "backward", "limit", "10"))),
                "backward from the newest, down to after");
        assertEquals(range(21, 30), offsets(reads.read("news", Map.of("after", "20", "before", "200", "limit", "10"))));
        assertEquals(reversed(range(190, 199)), offsets(reads.read("news", Map.of("after", "20", "before", "200", "direction", "backward",
                "limit", "10"))));
        assertEquals(List.of(), offsets(reads.read("news", Map.of("after", "250"))), "nothing after the last");
        assertEquals(List.of(), offsets(reads.read("news", Map.of("after", "5", "before", "6"))));
    }

    @Test
    void anotherEpochIsReadFromTheArchiveAlone() {
        archive("chat", "old", 1, 40);
        archive("chat", "e2", 1, 5);
        hot("chat", "e2", 1, 5);

        JsonObject old = reads.read("chat", Map.of("epoch", "old", "after", "30"));
        assertEquals("old", old.getString("epoch"));
        assertEquals(40L, old.getLong("offset"), "the last archived offset of that epoch");
        assertEquals(range(31, 40), offsets(old));
        assertTrue(old.getJsonArray("events").stream().allMatch(event -> "old".equals(((JsonObject) event).getString("epoch"))));

        JsonObject unknown = reads.read("chat", Map.of("epoch", "never"));
        assertEquals(0L, unknown.getLong("offset"));
        assertEquals(List.of(), offsets(unknown));
    }

    @Test
    void aChannelWhosePositionExpiredIsReadFromItsLatestArchivedEpoch() {
        archive("idle", "first", 1, 3);
        archive("idle", "second", 1, 2);

        JsonObject answer = reads.read("idle", Map.of());
        assertEquals("second", answer.getString("epoch"));
        assertEquals(2L, answer.getLong("offset"));
        assertEquals(List.of(2L, 1L), offsets(answer));

        JsonObject never = reads.read("never-published", Map.of());
        assertEquals(null, never.getValue("epoch"));
        assertEquals(0L, never.getLong("offset"));
        assertEquals(List.of(), offsets(never));
    }

    @Test
    void presencePrivateEncryptedAndUserChannelsAreReadLikeAnyOther() {
        for (String channel : List.of("presence-room", "private-encrypted-vault", "#server-to-user-42")) {
            archive(channel, "e1", 1, 2);
            hot(channel, "e1", 2, 3);
            assertEquals(range(1, 3), offsets(reads.read(channel, Map.of("after", "0"))), channel);
        }
    }

    @Test
    void aPresenceMembersClientEventKeepsItsUserId() {
        archive().insertOne(document("presence-room", "e1", 1).append("event", "client-wave").append("userId", "bob"));
        hot("presence-room", "e1", 2, 2);
        redis.getStream(cluster.layout().history(APP, "presence-room"), StringCodec.INSTANCE).add(new StreamMessageId(3, 0),
                StreamAddArgs.entries(Map.of("event", "client-typing", "data", "{}", "user_id", "ann")));

        JsonArray events = reads.read("presence-room", Map.of("after", "0")).getJsonArray("events");
        assertEquals("bob", events.getJsonObject(0).getString("user_id"), "from the archive's userId");
        assertEquals(false, events.getJsonObject(1).containsKey("user_id"));
        assertEquals("ann", events.getJsonObject(2).getString("user_id"), "from the stream's user_id");
    }

    @Test
    void badParametersAreRefusedWith400SayingWhy() {
        Map<Map<String, String>, String> refused = Map.of(
                Map.of("limit", "1001"), "limit must be from 1 to 1000, was 1001",
                Map.of("limit", "0"), "limit must be from 1 to 1000, was 0",
                Map.of("after", "-1"), "after must be an offset of 0 or more, was -1",
                Map.of("before", "0"), "before must be an offset of 1 or more, was 0",
                Map.of("after", "ten"), "after must be an offset (a whole number), was 'ten'",
                Map.of("direction", "sideways"), "direction must be forward or backward, was 'sideways'",
                Map.of("epoch", "x".repeat(65)), "epoch must be 1 to 64 characters, as the channel's positions carry it");
        refused.forEach((parameters, message) -> {
            Result result = reads.get("chat", parameters, "herald-secret");
            assertEquals(400, result.getHttpStatus(), parameters + ": " + result.getMessage());
            assertEquals(message, new JsonObject(result.getMessage()).getString("error"), parameters.toString());
        });
        Result badName = reads.get("chat room", Map.of(), "herald-secret");
        assertEquals(400, badName.getHttpStatus(), badName.getMessage());
        assertTrue(new JsonObject(badName.getMessage()).getString("error").contains("outside [A-Za-z0-9_-=@,.;]"), badName.getMessage());
    }

    @Test
    void aBadSignatureIs401AndAnUnknownApp404() {
        hot("chat", "e1", 1, 3);
        Result forged = reads.get("chat", Map.of("after", "0"), "not-the-secret");
        assertEquals(401, forged.getHttpStatus(), forged.getMessage());

        assertEquals(404, reads.api("404", "herald-secret").get("/channels/chat/events", Map.of()).getHttpStatus());
    }

    private void hot(String channel, String epoch, long from, long to) {
        HistoryReads.writeHot(redis, cluster.layout(), channel, epoch, from, to);
    }

    /** Offsets from..to as the archiver writes them, newest first: the archive's order is not the reader's. */
    private void archive(String channel, String epoch, long from, long to) {
        List<Document> documents = new ArrayList<>();
        for (long offset = to; offset >= from; offset--) {
            documents.add(document(channel, epoch, offset).append("event", "event-" + offset).append("data", "{\"n\":" + offset + "}"));
        }
        archive().insertMany(documents);
    }

    /** An archived event without its event name; each is archived after the one before ({@code at}). */
    private static Document document(String channel, String epoch, long offset) {
        Date at = new Date(ARCHIVE_CLOCK.incrementAndGet());
        return new Document(new HashMap<>(Map.of("app", APP, "channel", channel, "epoch", epoch, "offset", offset, "data", "{}",
                "at", at, "expireAt", new Date(at.getTime() + 86_400_000L))));
    }

    private MongoCollection<Document> archive() {
        return mongo.getDatabase(ArchiveReader.DATABASE).getCollection(ArchiveReader.COLLECTION);
    }

    private static List<String> names(JsonObject answer) {
        return answer.getJsonArray("events").stream().map(event -> ((JsonObject) event).getString("event")).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    private static List<Long> reversed(List<Long> offsets) {
        List<Long> reversed = new ArrayList<>(offsets);
        Collections.reverse(reversed);
        return reversed;
    }
}
