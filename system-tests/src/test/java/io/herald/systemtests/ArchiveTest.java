package io.herald.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.contract.LeaseNames;
import io.herald.local.LocalApiServer;
import io.herald.local.LocalCluster;
import io.herald.local.LocalClusterOptions;
import io.herald.local.LocalMongo;
import io.herald.local.NodeProcess;

/**
 * The MongoDB archive with processes as in production: a gateway, a router and local mode's
 * embedded MongoDB-wire server. Publications through the official REST SDK on channels of an app's
 * archive rule end up in MongoDB once each, in channel order, also across a minute-long MongoDB
 * outage under steady publishing; the others do not.
 */
class ArchiveTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** The outage: MongoDB gone for a minute while publications go on. */
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    /** About 100 publications a second during the outage: load, without flooding a 2-core machine. */
    private static final int BURST = 10;
    private static final long PACE_MILLIS = 100;
    private static final String APPS = """
            [{"id":"7","key":"archive-key","secret":"archive-secret",
              "archive":[{"prefix":"archived-","retentionSeconds":3600}]}]""";

    private static LocalCluster cluster;
    private static MongoClient mongo;

    @BeforeAll
    static void startCluster() {
        cluster = TestClusters.start(ArchiveTest.class, 1, 1, LocalClusterOptions.DEFAULT_LEASE_DURATION,
                Map.of("HERALD_APPS_JSON", APPS));
        mongo = MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(cluster.mongoUri()))
                .applyToClusterSettings(settings -> settings.serverSelectionTimeout(10, TimeUnit.SECONDS)).build());
    }

    @AfterAll
    static void stopCluster() {
        if (mongo != null) {
            mongo.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static MongoCollection<Document> events() {
        return mongo.getDatabase("herald").getCollection("events");
    }

    private static Pusher publisher(NodeProcess gateway) {
        Pusher pusher = new Pusher("7", "archive-key", "archive-secret");
        pusher.setHost("127.0.0.1:" + gateway.httpPort());
        pusher.setEncrypted(false);
        pusher.setDataMarshaller(data -> (String) data);
        return pusher;
    }

    private static void publish(Pusher publisher, String channel, int from, int to) {
        for (int i = from; i <= to; i++) {
            Result result = publisher.trigger(channel, "update", "{\"n\":" + i + "}");
            assertEquals(Result.Status.SUCCESS, result.getStatus(), result.getMessage());
        }
    }

    private static String archiveState(NodeProcess router) {
        try (KubernetesClient kubernetes = TestClusters.kubernetes(cluster)) {
            var lease = kubernetes.leases().inNamespace(LocalApiServer.NAMESPACE).withName(router.nodeId()).get();
            return lease == null || lease.getMetadata().getAnnotations() == null ? null
                    : lease.getMetadata().getAnnotations().get(LeaseNames.ARCHIVE_STATE_ANNOTATION);
        }
    }

    @Test
    void publicationsOnArchivedChannelsReachMongoDbOnceInOrderAcrossAMinuteLongOutage() throws Exception {
        NodeProcess gateway = cluster.gateways().get(0);
        NodeProcess router = cluster.routers().get(0);
        LocalMongo server = cluster.mongo().orElseThrow();
        int published = 50;
        try (Pusher publisher = publisher(gateway)) {
            publish(publisher, "archived-orders", 1, published);
            publish(publisher, "chat", 1, 10);
            await().atMost(TIMEOUT).until(() -> events().countDocuments(Filters.eq("channel", "archived-orders")) == 50);

            server.stop();
            long outageEnds = System.nanoTime() + OUTAGE.toNanos();
            try {
                // Live publishing goes on, each publication answered 200 at once, while MongoDB is down.
                while (System.nanoTime() < outageEnds) {
                    publish(publisher, "archived-orders", published + 1, published + BURST);
                    published += BURST;
                    Thread.sleep(PACE_MILLIS);
                }
                await("the router reports the outage").atMost(TIMEOUT)
                        .until(() -> LeaseNames.ARCHIVE_MONGO_UNREACHABLE.equals(archiveState(router)));
            } finally {
                server.restart();
            }
            long expected = published;
            await().atMost(TIMEOUT).until(() -> events().countDocuments(Filters.eq("channel", "archived-orders")) == expected);
            await().atMost(TIMEOUT).until(() -> LeaseNames.ARCHIVE_HEALTHY.equals(archiveState(router)));
        }

        List<Document> archived = events().find(Filters.and(Filters.eq("app", "7"), Filters.eq("channel", "archived-orders")))
                .sort(Sorts.ascending("offset")).into(new ArrayList<>());
        assertEquals(LongStream.rangeClosed(1, published).boxed().toList(), archived.stream().map(doc -> doc.getLong("offset")).toList(),
                "every position once");
        for (Document event : archived) {
            assertEquals("{\"n\":" + event.getLong("offset") + "}", event.getString("data"), "channel order: offset n carries event n");
            assertEquals("update", event.getString("event"));
            assertEquals(event.getDate("at").getTime() + 3_600_000, event.getDate("expireAt").getTime());
        }
        assertEquals(1, archived.stream().map(doc -> doc.getString("epoch")).distinct().count());
        assertEquals(0, events().countDocuments(Filters.eq("channel", "chat")), "no rule, no archive");
    }
}
