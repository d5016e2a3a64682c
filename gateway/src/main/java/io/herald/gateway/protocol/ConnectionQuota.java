package io.herald.gateway.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.gateway.GatewayMetrics;
import io.herald.gateway.apps.App;
import io.herald.membership.Membership;
import io.herald.membership.Role;
import io.herald.streams.ClusterSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Pusher's per-app connection quota (4004), across the cluster. Every few seconds each gateway
 * writes its open connections per app to {@code herald:{c}:gateway-connections:{gateway}} (a hash
 * that expires unless refreshed, so a dead gateway's share vanishes by itself) and reads the
 * other live gateways' shares for the apps that have a quota. A new connection is refused when
 * those shares plus this gateway's own reach the quota. The others' shares are up to one period
 * old, so a burst of connections spread over many gateways can overshoot the quota briefly.
 */
@ApplicationScoped
public class ConnectionQuota {

    private static final Logger LOG = Logger.getLogger(ConnectionQuota.class);
    private static final long PERIOD_MILLIS = 3000;
    private static final long EXPIRY_MILLIS = PERIOD_MILLIS * 5;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    Membership membership;

    @Inject
    Connections connections;

    @Inject
    Vertx vertx;

    @Inject
    GatewayMetrics metrics;

    private final Map<String, Long> othersByApp = new ConcurrentHashMap<>();
    private long timer;

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(PERIOD_MILLIS, id -> vertx.executeBlocking(() -> {
            exchange();
            return null;
        }, false));
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    /** Whether the app may open one more connection here. */
    public boolean admits(App app) {
        return !app.limitsConnections()
                || othersByApp.getOrDefault(app.id(), 0L) + connections.count(app.id()) < app.maxConnections();
    }

    /** Publishes this gateway's counts and reads the other gateways'. Blocking; runs off the event loop. */
    void exchange() {
        if (redis.isShuttingDown() || redis.isShutdown()) {
            return;
        }
        try {
            Map<String, String> mine = new HashMap<>();
            connections.countsByApp().forEach((app, count) -> mine.put(app, Integer.toString(count)));
            RBatch batch = redis.createBatch(BatchOptions.defaults());
            String own = key(cluster.nodeId());
            batch.<String, String>getMap(own, StringCodec.INSTANCE).putAllAsync(mine);
            batch.getMap(own, StringCodec.INSTANCE).expireAsync(java.time.Duration.ofMillis(EXPIRY_MILLIS));
            Map<String, RFuture<Map<String, String>>> others = new HashMap<>();
            for (String gateway : membership.peers().alive(Role.GATEWAY)) {
                if (!gateway.equals(cluster.nodeId())) {
                    others.put(gateway, batch.<String, String>getMap(key(gateway), StringCodec.INSTANCE).readAllMapAsync());
                }
            }
            batch.execute();
            Map<String, Long> totals = new HashMap<>();
            others.values().forEach(read -> read.toCompletableFuture().join()
                    .forEach((app, count) -> totals.merge(app, Long.parseLong(count), Long::sum)));
            othersByApp.keySet().retainAll(totals.keySet());
            othersByApp.putAll(totals);
        } catch (RuntimeException e) {
            // The last counts stand; a gateway that cannot reach Redis cannot serve anyway.
            metrics.redisError("connection_counts");
            LOG.debugf("Could not exchange connection counts: %s", e.getMessage());
        }
    }

    private String key(String gateway) {
        return cluster.layout().gatewayConnections(gateway);
    }
}
