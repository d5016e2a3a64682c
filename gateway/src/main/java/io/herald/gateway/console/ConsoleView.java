package io.herald.gateway.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.gateway.protocol.ChannelNames;
import io.herald.gateway.rest.ChannelInfo;
import io.herald.membership.Membership;
import io.herald.membership.Role;
import io.herald.streams.ClusterSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The console's side, on the gateway that serves it: keeps the app marked as watched while a
 * console is open, and gathers, once a second, the cluster-wide state the page shows: every live
 * gateway's snapshot of its connections, and the occupied channels with their subscriber counts
 * and presence members, as the REST API answers them. Blocking: callers run it off the event loop.
 */
@ApplicationScoped
class ConsoleView {

    private static final Logger LOG = Logger.getLogger(ConsoleView.class);
    /** A console that stops refreshing (its gateway died) stops costing the cluster within this. */
    static final Duration WATCH_TTL = Duration.ofSeconds(10);
    /** The log outlives a short break in watching, then goes. */
    static final Duration LOG_TTL = Duration.ofHours(1);
    /** Channels the page lists; more are counted, not shown. */
    static final int MAX_CHANNELS = 100;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    Membership membership;

    @Inject
    ChannelInfo channels;

    @Inject
    ConsoleFeed feed;

    /** Keeps the app watched for {@link #WATCH_TTL} more, and drops lapsed watches of any app. */
    void watch(String app) {
        long now = System.currentTimeMillis();
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        var watches = batch.<String>getScoredSortedSet(cluster.layout().consoleWatches(), StringCodec.INSTANCE);
        watches.removeRangeByScoreAsync(Double.NEGATIVE_INFINITY, true, now, true);
        watches.addAsync(now + WATCH_TTL.toMillis(), app);
        watches.expireAsync(WATCH_TTL);
        batch.getStream(cluster.layout().consoleLog(app), StringCodec.INSTANCE).expireAsync(LOG_TTL);
        batch.execute();
        feed.watchedHere(app);
    }

    /** {@code {"gateways":[snapshot...],"channels":[{"name","subscriptions","members"}],"more_channels":n}}. */
    JsonObject state(String app) {
        JsonArray gateways = new JsonArray();
        for (ConnectionSnapshot snapshot : snapshots(app)) {
            gateways.add(snapshot.toBrowser());
        }
        JsonArray occupied = new JsonArray();
        List<String> names = new ArrayList<>(channels.occupied(app, ""));
        channels.tally(app, names.subList(0, Math.min(MAX_CHANNELS, names.size()))).forEach((name, tally) -> {
            JsonObject channel = new JsonObject().put("name", name).put("subscriptions", tally.subscriptions());
            if (ChannelNames.isPresence(name)) {
                channel.put("members", new JsonArray(new ArrayList<>(tally.users())));
            }
            occupied.add(channel);
        });
        return new JsonObject().put("gateways", gateways).put("channels", occupied)
                .put("more_channels", Math.max(0, names.size() - MAX_CHANNELS));
    }

    /** The snapshots of the live gateways that reported on the app, in gateway order. */
    private List<ConnectionSnapshot> snapshots(String app) {
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        Map<String, RFuture<String>> reads = new LinkedHashMap<>();
        for (String gateway : membership.peers().alive(Role.GATEWAY)) {
            reads.put(gateway, batch.<String>getBucket(cluster.layout().consoleConnections(app, gateway), StringCodec.INSTANCE)
                    .getAsync());
        }
        batch.execute();
        List<ConnectionSnapshot> snapshots = new ArrayList<>();
        reads.forEach((gateway, read) -> {
            String text = read.toCompletableFuture().join();
            if (text != null) {
                try {
                    snapshots.add(ConnectionSnapshot.decode(text));
                } catch (IllegalArgumentException e) {
                    LOG.warnf("Skipping the console snapshot of %s: %s", gateway, e.getMessage());
                }
            }
        });
        return snapshots;
    }
}
