package io.herald.benchmark;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.redisson.Redisson;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.herald.local.LocalMongo;
import io.herald.streams.StreamLayout;

/**
 * {@code archive}: how fast one router drains its archive streams into MongoDB, and how long it
 * takes to catch up after MongoDB was down. Entries are appended to the archive streams directly,
 * in the format the routing loop writes, so the measurement is the archiver's alone. Two phases:
 * a backlog appended while MongoDB is stopped is drained once it is back (events/s at full speed);
 * then entries arrive at a steady rate, MongoDB is stopped for the outage and started again, and
 * the time until the backlog is gone again is the catch-up time. Every entry must be in MongoDB
 * exactly once at the end.
 */
final class ArchiveScenario implements Scenario {

    private static final String APP = "1";
    private static final int CHANNELS = 1000;

    private final int backlog;
    private final int rate;
    private final int outageSeconds;
    private final int payloadBytes;
    private final AtomicLong offset = new AtomicLong();

    ArchiveScenario(Arguments arguments) {
        backlog = arguments.integer("backlog", 200_000);
        rate = arguments.integer("rate", 2_000);
        outageSeconds = arguments.integer("outage-seconds", 60);
        payloadBytes = arguments.integer("payload-bytes", 100);
        if (backlog < 1 || rate < 1 || outageSeconds < 1 || payloadBytes < 0) {
            throw new IllegalArgumentException("need --backlog, --rate, --outage-seconds >= 1 and --payload-bytes >= 0");
        }
    }

    @Override
    public Table parameters() {
        return new Table("parameter", "value")
                .row("backlog appended while MongoDB is stopped (phase 1)", Table.count(backlog))
                .row("steady rate of archive entries (phase 2)", Table.count(rate) + " /s")
                .row("MongoDB outage under the steady rate (phase 2)", outageSeconds + " s")
                .row("event data", payloadBytes + " bytes, over " + CHANNELS + " channels of all shards")
                .row("MongoDB", "mongo-java-server in the benchmark's JVM (in memory)")
                .row("archiver settings", "defaults: batch of 1,000 entries over the shards read, back-off up to 2 s");
    }

    @Override
    public void run(BenchmarkCluster cluster, LoadClient client, PrintStream out) throws Exception {
        LocalMongo mongo = cluster.local().mongo().orElseThrow();
        Config config = new Config();
        config.useSingleServer().setAddress(cluster.local().redisUrl());
        RedissonClient redis = Redisson.create(config);
        try (MongoClient reader = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(mongo.uri()))
                .applyToClusterSettings(settings -> settings.serverSelectionTimeout(30, TimeUnit.SECONDS)).build())) {
            String name = cluster.local().options().clusterName();
            Map<String, String> meta = redis.<String, String>getMap(StreamLayout.meta(name, Optional.empty()), StringCodec.INSTANCE)
                    .readAllMap();
            int shards = Integer.parseInt(meta.get("shards"));
            StreamLayout layout = new StreamLayout(name, Optional.empty(), shards, Integer.parseInt(meta.get("slot-groups")));
            Archive archive = new Archive(redis, layout, shards, reader);
            String router = cluster.local().routers().get(0).nodeId();

            // Phase 1: a full-speed drain of a backlog.
            System.err.printf("Phase 1: appending %,d entries while MongoDB is stopped%n", backlog);
            mongo.stop();
            for (int done = 0; done < backlog; done += 1000) {
                archive.append(Math.min(1000, backlog - done));
            }
            CpuUsage cpu = new CpuUsage(cluster.processes(), router);
            cpu.start();
            long started = System.nanoTime();
            mongo.restart();
            awaitDrained(archive, 600);
            double drainSeconds = (System.nanoTime() - started) / 1e9;
            CpuUsage.Result used = cpu.stop();
            out.println("### archive results\n");
            out.print(new Table("phase 1: drain of a backlog", "value")
                    .row("entries appended while MongoDB was stopped, drained in", Table.decimal(drainSeconds, 1) + " s")
                    .row("archive throughput of one router", Table.count(backlog / drainSeconds) + " events/s")
                    .row("router CPU while draining", Table.decimal(used.cores().getOrDefault(router, 0.0), 2) + " cores"));
            out.println();
            out.flush();

            // Phase 2: steady load, an outage, and the catch-up.
            System.err.printf("Phase 2: %,d entries/s, MongoDB stopped for %d s%n", rate, outageSeconds);
            AtomicBoolean producing = new AtomicBoolean(true);
            Thread producer = new Thread(() -> produce(archive, producing), "archive-producer");
            producer.start();
            Waits.sleep(10_000);
            mongo.stop();
            Waits.sleep(outageSeconds * 1000L);
            long backlogAtRestart = archive.backlog();
            long restarted = System.nanoTime();
            mongo.restart();
            // Caught up: what is left is no more than a quarter second of arrivals.
            if (!Waits.until(() -> archive.backlog() <= rate / 4, 600_000)) {
                throw new IllegalStateException("the archive did not catch up within 600 s; backlog " + archive.backlog());
            }
            double catchUpSeconds = (System.nanoTime() - restarted) / 1e9;
            producing.set(false);
            producer.join();
            awaitDrained(archive, 120);

            long appended = offset.get();
            long stored = archive.stored();
            out.print(new Table("phase 2: " + outageSeconds + " s outage at " + Table.count(rate) + " entries/s", "value")
                    .row("backlog when MongoDB came back", Table.count(backlogAtRestart) + " entries")
                    .row("catch-up time (until the backlog is <= " + rate / 4 + ")", Table.decimal(catchUpSeconds, 1) + " s")
                    .row("drain rate during the catch-up, net of arrivals", Table.count(backlogAtRestart / catchUpSeconds) + " events/s")
                    .row("entries appended in both phases / documents in MongoDB", Table.count(appended) + " / " + Table.count(stored)));
            out.println();
            if (stored != appended) {
                throw new IllegalStateException("MongoDB holds " + stored + " documents for " + appended + " entries");
            }
        } finally {
            redis.shutdown();
        }
    }

    private void produce(Archive archive, AtomicBoolean producing) {
        long start = System.nanoTime();
        long sent = 0;
        while (producing.get()) {
            long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
            if (due > sent) {
                int count = (int) Math.min(1000, due - sent);
                archive.append(count);
                sent += count;
            } else {
                Waits.sleep(1);
            }
        }
    }

    private static void awaitDrained(Archive archive, int seconds) {
        if (!Waits.until(() -> archive.backlog() == 0, seconds * 1000L)) {
            throw new IllegalStateException("the archive streams still hold " + archive.backlog() + " entries after " + seconds + " s");
        }
    }

    /** The archive streams and the collection, as the scenario feeds and watches them. */
    private final class Archive {

        private final RedissonClient redis;
        private final StreamLayout layout;
        private final int shards;
        private final MongoClient mongo;
        private final String data;

        Archive(RedissonClient redis, StreamLayout layout, int shards, MongoClient mongo) {
            this.redis = redis;
            this.layout = layout;
            this.shards = shards;
            this.mongo = mongo;
            this.data = "{\"pad\":\"" + "x".repeat(Math.max(0, payloadBytes - 10)) + "\"}";
        }

        /** Appends entries in the routing loop's format, spread over every shard, in one round trip. */
        void append(int count) {
            RBatch batch = redis.createBatch(BatchOptions.defaults());
            long now = System.currentTimeMillis();
            for (int i = 0; i < count; i++) {
                long position = offset.incrementAndGet();
                Map<String, String> fields = new HashMap<>();
                fields.put("app", APP);
                fields.put("channel", "archive-" + position % CHANNELS);
                fields.put("epoch", "bench");
                fields.put("offset", Long.toString(position));
                fields.put("event", "update");
                fields.put("data", data);
                fields.put("retention", "86400");
                fields.put("at", Long.toString(now));
                batch.<String, String>getStream(layout.archive((int) (position % shards)), StringCodec.INSTANCE)
                        .addAsync(StreamAddArgs.entries(fields));
            }
            batch.execute();
        }

        long backlog() {
            RBatch batch = redis.createBatch(BatchOptions.defaults());
            for (int shard = 0; shard < shards; shard++) {
                batch.getStream(layout.archive(shard), StringCodec.INSTANCE).sizeAsync();
            }
            return batch.execute().getResponses().stream().mapToLong(size -> (Long) size).sum();
        }

        long stored() {
            return mongo.getDatabase("herald").getCollection("events").countDocuments();
        }
    }
}
