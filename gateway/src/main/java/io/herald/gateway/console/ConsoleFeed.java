package io.herald.gateway.console;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

import io.herald.gateway.GatewayConfig;
import io.herald.gateway.GatewayMetrics;
import io.herald.gateway.protocol.ConnectionRows;
import io.herald.streams.ClusterSettings;
import io.herald.streams.Publication;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * What every gateway tells the web console, cluster-wide, and only while a console watches the
 * app: once a second it reads which apps are watched (one {@code ZRANGEBYSCORE}), and for those it
 * appends what it sees (publications it accepted, client events it relayed, connects,
 * disconnects, refused subscriptions) to the app's capped console stream and refreshes an
 * expiring snapshot of its connections of the app. An app nobody watches costs a set lookup per
 * such event and nothing per delivery; a gateway whose console is off does nothing at all.
 */
@ApplicationScoped
public class ConsoleFeed {

    private static final Logger LOG = Logger.getLogger(ConsoleFeed.class);
    /** Entries each app's console stream keeps, about: a log for reading, not a record. */
    static final int MAX_LOG_ENTRIES = 1000;
    static final long CHECK_PERIOD_MILLIS = 1000;
    /** Long enough to outlive a late check or two, short enough that a closed console soon costs nothing. */
    static final Duration SNAPSHOT_TTL = Duration.ofSeconds(3);

    @Inject
    GatewayConfig config;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    ConnectionRows connections;

    @Inject
    GatewayMetrics metrics;

    @Inject
    Vertx vertx;

    private volatile Set<String> watched = Set.of();
    private RScoredSortedSet<String> watches;
    private long timer = -1;

    @PostConstruct
    void init() {
        watches = redis.getScoredSortedSet(cluster.layout().consoleWatches(), StringCodec.INSTANCE);
    }

    void start(@Observes StartupEvent event) {
        if (config.console().enabled()) {
            timer = vertx.setPeriodic(CHECK_PERIOD_MILLIS, id -> vertx.executeBlocking(() -> {
                check();
                return null;
            }, false));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    public boolean enabled() {
        return config.console().enabled();
    }

    /** Whether this gateway reports on the app now. */
    public boolean watching(String app) {
        return watched.contains(app);
    }

    /** The console on this gateway opened for the app: report at once rather than at the next check. */
    void watchedHere(String app) {
        Set<String> now = new HashSet<>(watched);
        if (now.add(app)) {
            watched = Set.copyOf(now);
        }
    }

    /** Reads the watched apps and refreshes this gateway's snapshot of each. Blocking. */
    void check() {
        if (redis.isShuttingDown() || redis.isShutdown()) {
            return;
        }
        try {
            long now = System.currentTimeMillis();
            watched = Set.copyOf(watches.valueRange(now, false, Double.POSITIVE_INFINITY, true));
            if (watched.isEmpty()) {
                return;
            }
            RBatch batch = redis.createBatch(BatchOptions.defaults());
            for (String app : watched) {
                ConnectionSnapshot snapshot = new ConnectionSnapshot(cluster.nodeId(), now, connections.count(app),
                        metrics.deliveriesSoFar(), connections.of(app, ConnectionSnapshot.MAX_ROWS));
                batch.getBucket(cluster.layout().consoleConnections(app, cluster.nodeId()), StringCodec.INSTANCE)
                        .setAsync(snapshot.encode(), SNAPSHOT_TTL);
            }
            batch.execute();
        } catch (RuntimeException e) {
            metrics.redisError("console");
            LOG.debugf("Could not refresh the console's view: %s", e.getMessage());
        }
    }

    /** A publication this gateway stored for a REST request or the console's form. */
    public void published(Publication publication) {
        if (watching(publication.app())) {
            append(publication.app(), entry(ConsoleEntry.PUBLISH).with("channel", publication.channel())
                    .with("event", publication.event()).with("data", publication.data())
                    .with("socket_id", publication.excludedSocketId()));
        }
    }

    /** A client event this gateway stored for relaying. */
    public void clientEvent(Publication event) {
        if (watching(event.app())) {
            append(event.app(), entry(ConsoleEntry.CLIENT_EVENT).with("channel", event.channel()).with("event", event.event())
                    .with("data", event.data()).with("socket_id", event.excludedSocketId()).with("user_id", event.userId()));
        }
    }

    public void connected(String app, String socketId, String address) {
        if (watching(app)) {
            append(app, entry(ConsoleEntry.CONNECT).with("socket_id", socketId).with("address", address));
        }
    }

    public void disconnected(String app, String socketId, String address, int code) {
        if (watching(app)) {
            append(app, entry(ConsoleEntry.DISCONNECT).with("socket_id", socketId).with("address", address).with("code", code));
        }
    }

    /** A subscription refused with the {@code pusher:subscription_error} frame given. */
    public void subscriptionRefused(String app, String socketId, String frame) {
        if (watching(app)) {
            JsonObject json = new JsonObject(frame);
            JsonObject error = new JsonObject(json.getString("data"));
            append(app, entry(ConsoleEntry.SUBSCRIPTION_ERROR).with("socket_id", socketId).with("channel", json.getString("channel"))
                    .with("error", error.getString("type") + " " + error.getValue("status") + ": " + error.getString("error")));
        }
    }

    private ConsoleEntry entry(String type) {
        return ConsoleEntry.of(type, cluster.nodeId(), System.currentTimeMillis());
    }

    private void append(String app, ConsoleEntry entry) {
        redis.<String, String>getStream(cluster.layout().consoleLog(app), StringCodec.INSTANCE)
                .addAsync(StreamAddArgs.entries(entry.fields()).trimNonStrict().maxLen(MAX_LOG_ENTRIES).noLimit())
                .whenComplete((id, failure) -> {
                    if (failure != null) {
                        metrics.redisError("console");
                        LOG.debugf("A console entry of app %s is lost: %s", app, failure.getMessage());
                    }
                });
    }
}
