package io.herald.gateway.fanout;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.gateway.protocol.SocketIds;
import io.herald.streams.ClusterSettings;
import io.herald.streams.DatasetWatch;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Keeps subscribers receiving when Redis loses its data (a restart without persistence, a
 * failover to a replica that missed writes): once a second it asks {@link DatasetWatch} whether
 * the data it wrote is still there, and after a loss announces again what its sockets hold
 * (interest, presence, counts; see {@link LocalSubscriptions#announceAgain}), so that the
 * routers, which rebuild their side at the same time, route new publications to it. Its sockets
 * stay open. Each receiver gets {@value #MESSAGES_LOST} on each of its channels: publications
 * acknowledged but not yet routed when Redis lost them cannot be delivered, and the client
 * should reload what it shows. One timer per process.
 */
@ApplicationScoped
public class DataLossRecovery {

    /** The event each receiver gets on each of its channels after Redis lost data. */
    public static final String MESSAGES_LOST = "herald:messages_lost";

    private static final Logger LOG = Logger.getLogger(DataLossRecovery.class);
    private static final long PERIOD_MILLIS = 1000;
    private static final String LOST_DATA = "{\"reason\":\"redis-data-lost\"}";
    /** Socket ids embed the node number; a counter that restarted from zero would hand ours out again. */
    private static final String RAISE = """
            if tonumber(redis.call('GET', KEYS[1]) or '0') < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
            return 1
            """;

    @Inject
    DatasetWatch dataset;

    @Inject
    LocalSubscriptions subscriptions;

    @Inject
    SocketIds socketIds;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    Vertx vertx;

    private long timer;

    void start(@Observes StartupEvent event) {
        // Reading the dataset id creates the watch now, so that it knows the data this gateway starts with.
        LOG.infof("Gateway %s works in dataset %s", cluster.nodeId(), dataset.known());
        timer = vertx.setPeriodic(PERIOD_MILLIS, id -> vertx.executeBlocking(() -> {
            check();
            return null;
        }, false));
    }

    /** A timer left running would revive the beans it uses after they were destroyed. */
    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    private void check() {
        if (redis.isShuttingDown() || redis.isShutdown()) {
            return;
        }
        try {
            if (dataset.lost()) {
                redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, RAISE, RScript.ReturnType.LONG,
                        List.of(cluster.layout().nodeSequence()), Long.toString(socketIds.nodeNumber()));
                subscriptions.announceAgain(MESSAGES_LOST, LOST_DATA);
                LOG.warnf("Announced this gateway's subscribers again after Redis lost its data; receivers were sent %s",
                        MESSAGES_LOST);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Could not check whether Redis lost its data: %s", e.getMessage());
        }
    }
}
