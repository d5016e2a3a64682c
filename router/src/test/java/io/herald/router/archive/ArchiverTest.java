package io.herald.router.archive;

import static io.herald.router.TestStreams.unique;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.contract.LeaseNames;
import io.herald.local.KubernetesApiTestResource;
import io.herald.local.LocalApiServer;
import io.herald.local.LocalMongo;
import io.herald.local.MongoTestResource;
import io.herald.local.RedisTestResource;
import io.herald.router.routing.ShardRouter;
import io.herald.streams.ClusterSettings;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The archiver against a real Redis and a MongoDB-wire server that is stopped and started again:
 * entries appended to the archive streams (in the routing loop's format, written here directly)
 * end up in MongoDB exactly once, whatever happens in between.
 */
@QuarkusTest
@TestProfile(ArchiverTest.SmallBudget.class)
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
@WithTestResource(MongoTestResource.class)
class ArchiverTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long BUDGET = 300;

    /** A budget small enough to reach in a test, and a MongoDB that is given up on quickly. */
    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("herald.archive.backlog-budget", Long.toString(BUDGET),
                    "quarkus.mongodb.server-selection-timeout", "1s",
                    "herald.cluster.shards", "8");
        }
    }

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    ShardRouter router;

    @Inject
    ArchiveHealth health;

    @Inject
    MongoClient mongo;

    @Inject
    KubernetesClient kubernetes;

    private MongoCollection<Document> events() {
        return mongo.getDatabase("herald").getCollection("events");
    }

    private void awaitOwnership() {
        await().atMost(TIMEOUT).until(() -> router.ownedShards().size() == cluster.shardCount());
    }

    /** Appends the publication at the offset as the routing loop does. */
    private void append(String app, String channel, long offset, String userId) {
        Map<String, String> fields = new HashMap<>();
        fields.put("app", app);
        fields.put("channel", channel);
        fields.put("epoch", "ep1");
        fields.put("offset", Long.toString(offset));
        fields.put("event", "update");
        fields.put("data", "{\"n\":" + offset + "}");
        if (userId != null) {
            fields.put("user_id", userId);
        }
        fields.put("retention", "3600");
        fields.put("at", Long.toString(1_800_000_000_000L + offset));
        archiveStream(app, channel).add(StreamAddArgs.entries(fields));
    }

    private RStream<String, String> archiveStream(String app, String channel) {
        return redis.getStream(cluster.layout().archive(cluster.shardOf(app, channel)), StringCodec.INSTANCE);
    }

    private long archived(String app) {
        return events().countDocuments(Filters.eq("app", app));
    }

    private long backlog() {
        long entries = 0;
        for (int shard = 0; shard < cluster.shardCount(); shard++) {
            entries += redis.getStream(cluster.layout().archive(shard), StringCodec.INSTANCE).size();
        }
        return entries;
    }

    private Map<String, String> leaseAnnotations() {
        return Optional.ofNullable(kubernetes.leases().inNamespace(LocalApiServer.NAMESPACE).withName(cluster.podName()).get())
                .map(lease -> lease.getMetadata().getAnnotations()).orElse(Map.of());
    }


    @Test
    void archivedEventsAreStoredOnceInTheSchemaTheHistoryReads() {
        awaitOwnership();
        String app = unique("app");
        for (long offset = 1; offset <= 10; offset++) {
            append(app, "orders", offset, offset == 1 ? "alice" : null);
        }
        await().atMost(TIMEOUT).until(() -> archived(app) == 10);

        // Delivered twice (a takeover, a retry): the repeated positions change nothing, the new ones are added.
        for (long offset = 5; offset <= 15; offset++) {
            append(app, "orders", offset, null);
        }
        await().atMost(TIMEOUT).until(() -> archived(app) == 15 && backlog() == 0);
        assertEquals(15, archived(app));

        Document first = events().find(Filters.eq("app", app)).sort(Sorts.ascending("offset")).first();
        assertEquals("orders", first.getString("channel"));
        assertEquals("ep1", first.getString("epoch"));
        assertEquals(1L, first.getLong("offset"));
        assertEquals("update", first.getString("event"));
        assertEquals("{\"n\":1}", first.getString("data"));
        assertEquals("alice", first.getString("userId"));
        assertEquals(new Date(1_800_000_000_001L), first.getDate("at"));
        assertEquals(new Date(1_800_000_000_001L + 3_600_000), first.getDate("expireAt"));
        Document second = events().find(Filters.and(Filters.eq("app", app), Filters.eq("offset", 2L))).first();
        assertFalse(second.containsKey("userId"), "userId only when the event has one");

        List<Document> indexes = events().listIndexes().into(new ArrayList<>());
        Document position = indexes.stream().filter(index -> "position".equals(index.getString("name"))).findFirst().orElseThrow();
        assertEquals(new Document("app", 1).append("channel", 1).append("epoch", 1).append("offset", 1), position.get("key"));
        assertTrue(position.getBoolean("unique"));
        Document expiry = indexes.stream().filter(index -> "expiry".equals(index.getString("name"))).findFirst().orElseThrow();
        assertEquals(0L, ((Number) expiry.get("expireAfterSeconds")).longValue());
    }

    @Test
    void anEntryOutsideTheFormatIsDroppedWithoutHoldingUpTheOthers() {
        awaitOwnership();
        String app = unique("app");
        append(app, "orders", 1, null);
        archiveStream(app, "orders").add(StreamAddArgs.entries(Map.of("app", app, "channel", "orders", "offset", "x")));
        append(app, "orders", 2, null);
        await().atMost(TIMEOUT).until(() -> archived(app) == 2 && backlog() == 0);
    }

    @Test
    void whileMongoDbIsDownTheBacklogWaitsInRedisAndEveryEntryIsArchivedOnceWhenItReturns() throws Exception {
        awaitOwnership();
        await().atMost(TIMEOUT).until(() -> LeaseNames.ARCHIVE_HEALTHY.equals(health.state()));
        LocalMongo server = MongoTestResource.current();
        String app = unique("app");
        AtomicLong appended = new AtomicLong();
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> {
            while (producing.get()) {
                long offset = appended.incrementAndGet();
                append(app, "channel-" + offset % 5, offset, null);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        producer.start();
        try {
            await().atMost(TIMEOUT).until(() -> archived(app) > 20);
            server.stop();
            await().atMost(TIMEOUT).until(() -> LeaseNames.ARCHIVE_MONGO_UNREACHABLE.equals(
                    leaseAnnotations().get(LeaseNames.ARCHIVE_STATE_ANNOTATION)));
            Map<String, String> outage = leaseAnnotations();
            assertFalse(outage.get(LeaseNames.ARCHIVE_FAILING_SINCE_ANNOTATION).isEmpty());
            assertFalse(outage.get(LeaseNames.ARCHIVE_LAST_WRITE_ANNOTATION).isEmpty());
            await().atMost(TIMEOUT).until(() -> health.backlog() > 50);
            server.restart();
            await().atMost(TIMEOUT).until(() -> health.failingSince().isEmpty());
        } finally {
            producing.set(false);
            producer.join(TIMEOUT.toMillis());
        }
        await().atMost(TIMEOUT).until(() -> archived(app) == appended.get() && backlog() == 0);
        for (int channel = 0; channel < 5; channel++) {
            List<Long> offsets = events().find(Filters.and(Filters.eq("app", app), Filters.eq("channel", "channel-" + channel)))
                    .map(document -> document.getLong("offset")).into(new ArrayList<>());
            assertEquals(offsets.size(), offsets.stream().distinct().count(), "no position is stored twice");
        }
        await().atMost(TIMEOUT).until(() -> LeaseNames.ARCHIVE_HEALTHY.equals(
                leaseAnnotations().get(LeaseNames.ARCHIVE_STATE_ANNOTATION))
                && leaseAnnotations().get(LeaseNames.ARCHIVE_FAILING_SINCE_ANNOTATION).isEmpty());
    }

    @Test
    void aBacklogThatReachesItsBudgetIsReportedFullAndDrainsOnceMongoDbReturns() {
        awaitOwnership();
        LocalMongo server = MongoTestResource.current();
        String app = unique("app");
        server.stop();
        try {
            for (long offset = 1; offset <= BUDGET; offset++) {
                append(app, "full", offset, null);
            }
            await().atMost(TIMEOUT).until(() -> LeaseNames.ARCHIVE_BACKLOG_FULL.equals(
                    leaseAnnotations().get(LeaseNames.ARCHIVE_STATE_ANNOTATION)));
            assertTrue(leaseAnnotations().get(LeaseNames.ARCHIVE_MESSAGE_ANNOTATION).contains("reached its budget"));
        } finally {
            server.restart();
        }
        await().atMost(TIMEOUT).until(() -> archived(app) == BUDGET && backlog() == 0);
        await().atMost(TIMEOUT).until(() -> LeaseNames.ARCHIVE_HEALTHY.equals(health.state()));
    }
}
