package io.herald.router.archive;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.bson.Document;
import org.jboss.logging.Logger;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;

import com.mongodb.client.MongoClient;

import io.herald.router.RouterConfig;
import io.herald.router.ownership.OrphanedReads;
import io.herald.router.routing.ShardRouter;
import io.herald.streams.ClusterSettings;
import io.herald.streams.RedisDisconnects;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Drains the archive streams of the shards this router owns into MongoDB, on a thread of its own:
 * the routing loop only appends to those streams and never waits for MongoDB.
 *
 * <p>Each turn it adopts the shards it newly owns (creating the consumer group, taking over what
 * the previous owner left pending), reads a batch, writes it with one unordered insert and only
 * then acknowledges and deletes the entries. A failed write leaves the entries pending; the next
 * attempt, after a back-off, reads them again first. So while MongoDB is slow or down, the
 * streams are the backlog (bounded by the budget, see {@link RouterConfig.Archive#backlogBudget}), and once it is back
 * the archiver catches up from where it stopped. A write may be repeated (a lost answer, a
 * takeover) but never stored twice: the unique index on the position ignores duplicates.
 */
@ApplicationScoped
public class Archiver {

    private static final Logger LOG = Logger.getLogger(Archiver.class);
    private static final Duration READ_TIMEOUT = Duration.ofMillis(250);
    private static final Duration MEASURE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration BUDGET_ALARM_INTERVAL = Duration.ofSeconds(60);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final int SWEEP_EVERY = 4;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    ShardRouter router;

    @Inject
    RouterConfig config;

    @Inject
    RedisDisconnects disconnects;

    @Inject
    ArchiveHealth health;

    @Inject
    Instance<MongoClient> mongo;

    private ArchiveStreams streams;
    private EventArchive archive;
    private final Set<Integer> adopted = new TreeSet<>();
    private final Set<Integer> behind = new TreeSet<>();
    private long reads;
    private boolean indexed;
    private boolean pending = true;
    /** Archive order does not matter: after a drop or failure the next read is of pending entries, and a periodic check catches later orphans. */
    private final OrphanedReads orphans = new OrphanedReads(System.nanoTime());
    private long disconnectsSeen;
    private long measuredAt;
    private long alarmedAt;
    private volatile boolean running;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        if (!config.mongodb().configured()) {
            LOG.warn("No MongoDB is configured (herald.mongodb.uri, HERALD_MONGODB_URI): the archive is off, and "
                    + "publications that match an app's archive rules are not archived");
            return;
        }
        streams = new ArchiveStreams(redis, cluster.layout(), cluster.nodeId());
        // The extension's client is created here, on first use: without a URI there is none at all.
        archive = new EventArchive(mongo.get(), config.mongodb().database());
        health.enable();
        running = true;
        thread = new Thread(this::run, "herald-archiver");
        thread.start();
        LOG.infof("Router %s archives to MongoDB database '%s' (backlog budget %d entries per shard)", cluster.nodeId(),
                config.mongodb().database(), config.archive().backlogBudget());
    }

    /** Stops before the routing loop hands its shards over; what it read and did not archive stays pending for the next owner. */
    void stop(@Observes @Priority(Interceptor.Priority.APPLICATION - 1) ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(READ_TIMEOUT.multipliedBy(8).toMillis());
        }
    }

    private void run() {
        Duration retry = FIRST_RETRY;
        while (running) {
            try {
                if (turn()) {
                    retry = FIRST_RETRY;
                } else {
                    retry = backOff(retry);
                }
            } catch (RuntimeException e) {
                // Redis failed (or lost its data): adopt every shard again, which recreates lost groups.
                LOG.warnf("Archiving failed on the Redis side, retrying in %d ms: %s", retry.toMillis(), e.toString());
                adopted.clear();
                pending = true;
                orphans.interrupted(System.nanoTime());
                retry = backOff(retry);
            }
        }
    }

    /** Waits the retry, and returns the next one: doubled, up to the maximum. */
    private Duration backOff(Duration retry) {
        pause(retry);
        Duration next = retry.multipliedBy(2);
        return next.compareTo(config.archive().maxRetry()) > 0 ? config.archive().maxRetry() : next;
    }

    /** @return false when MongoDB failed, so the caller backs off */
    private boolean turn() {
        List<Integer> owned = new ArrayList<>(new TreeSet<>(router.ownedShards().keySet()));
        adopted.retainAll(owned);
        behind.retainAll(owned);
        for (int shard : owned) {
            if (!adopted.contains(shard)) {
                streams.adopt(shard);
                adopted.add(shard);
                pending = true;
            }
        }
        if (disconnects.count() != disconnectsSeen) {
            disconnectsSeen = disconnects.count();
            pending = true;
        }
        if (orphans.checkDue(System.nanoTime())) {
            pending = true;
        }
        if (System.nanoTime() - measuredAt > MEASURE_INTERVAL.toNanos()) {
            measure(owned);
        }
        if (owned.isEmpty()) {
            pause(READ_TIMEOUT);
            return true;
        }
        if (!indexed && !mongo(() -> archive.ensureIndexes())) {
            return false;
        }
        indexed = true;
        // Shards whose last read was full get the whole batch, but every few reads all are read,
        // so one shard's backlog neither waits behind many idle shards nor starves the others.
        boolean sweep = behind.isEmpty() || ++reads % SWEEP_EVERY == 0;
        List<Integer> targets = sweep ? owned : new ArrayList<>(behind);
        Map<Integer, Map<StreamMessageId, Map<String, String>>> batch = streams.read(targets, pending, config.archive().batchSize(),
                READ_TIMEOUT);
        behind.clear();
        int full = ArchiveStreams.perShard(config.archive().batchSize(), targets.size());
        batch.forEach((shard, entries) -> {
            if (entries.size() >= full) {
                behind.add(shard);
            }
        });
        if (batch.isEmpty()) {
            // Without entries pending or behind on these shards, a sweep decides what comes next.
            pending = pending && !sweep;
            return true;
        }
        List<Document> documents = new ArrayList<>();
        Map<Integer, List<StreamMessageId>> done = new TreeMap<>();
        batch.forEach((shard, entries) -> entries.forEach((id, fields) -> {
            try {
                documents.add(ArchivedEvent.parse(fields).document());
            } catch (IllegalArgumentException e) {
                LOG.errorf("Dropping archive entry %s of shard %d, it does not follow the archive format (%s): %s", id, shard,
                        e.getMessage(), fields);
            }
            done.computeIfAbsent(shard, s -> new ArrayList<>()).add(id);
        }));
        if (!mongo(() -> archive.write(documents))) {
            pending = true;
            return false;
        }
        streams.archived(done);
        return true;
    }

    /** Runs a MongoDB call; a failure is reported to the health and logged once per outage, never thrown. */
    private boolean mongo(Runnable call) {
        try {
            call.run();
            if (health.failingSince().isPresent()) {
                LOG.infof("MongoDB accepts the archive's writes again, after failing since %s", health.failingSince().get());
            }
            health.succeeded(Instant.now());
            return true;
        } catch (RuntimeException e) {
            if (health.failingSince().isEmpty()) {
                LOG.errorf("Writing to the MongoDB archive failed; the archive streams keep the backlog and the archiver "
                        + "retries: %s", e.toString());
            }
            health.failed(Instant.now(), e.getClass().getSimpleName() + ": " + e.getMessage());
            return false;
        }
    }

    /** Measures the backlog, and raises the alarm while a shard's backlog is at its budget. */
    private void measure(List<Integer> owned) {
        measuredAt = System.nanoTime();
        Map<Integer, Long> backlogs = streams.backlogs(owned);
        Set<Integer> full = new TreeSet<>();
        backlogs.forEach((shard, size) -> {
            if (size >= config.archive().backlogBudget()) {
                full.add(shard);
            }
        });
        boolean wasFull = health.backlogFull();
        health.backlog(backlogs.values().stream().mapToLong(Long::longValue).sum(), full);
        if (!full.isEmpty() && (!wasFull || System.nanoTime() - alarmedAt > BUDGET_ALARM_INTERVAL.toNanos())) {
            alarmedAt = System.nanoTime();
            Map<Integer, Long> fullBacklogs = new TreeMap<>(backlogs);
            fullBacklogs.keySet().retainAll(full);
            LOG.errorf("Archive backlog budget reached: shards %s hold %s unarchived entries (budget %d per shard, %d "
                    + "in all on this router); the oldest are being dropped and will never reach MongoDB. MongoDB has "
                    + "failed since %s", full, fullBacklogs, config.archive().backlogBudget(), health.backlog(),
                    health.failingSince().map(Instant::toString).orElse("(it has not failed)"));
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
