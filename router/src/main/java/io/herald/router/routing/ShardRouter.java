package io.herald.router.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamMultiReadGroupArgs;
import org.redisson.client.codec.StringCodec;

import io.herald.membership.Membership;
import io.herald.membership.PeerView;
import io.herald.membership.Role;
import io.herald.router.cache.LastEvents;
import io.herald.router.ownership.ShardOwnership;
import io.herald.router.presence.PresenceTable;
import io.herald.streams.CacheChannels;
import io.herald.streams.CacheRequest;
import io.herald.streams.ClusterSettings;
import io.herald.streams.Delivery;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.InterestChange;
import io.herald.streams.MalformedEnvelopeException;
import io.herald.streams.PresenceJoin;
import io.herald.streams.PresenceLeave;
import io.herald.streams.Publication;
import io.herald.streams.ShardEntry;
import io.herald.streams.ShardStreams;
import io.herald.streams.StreamLayout;
import io.herald.streams.StreamOffset;
import io.herald.streams.UserChannels;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The routing loop, on one thread of its own. Each turn it brings shard ownership in line with
 * the live routers, cleans up after gateways that died, reads a batch from the shard streams it
 * owns (consumer group {@code routers}) and routes it: interest changes update the interest
 * table, and each publication goes to the inbox of every gateway with subscribers on its
 * channel, and of no other gateway. A batch's deliveries and acknowledgements are written
 * together, per shard, fenced by the shard's epoch (see {@link FencedWrites}); a crash before the
 * write leaves the entries pending, and the next owner routes them again.
 */
@ApplicationScoped
public class ShardRouter {

    private static final Logger LOG = Logger.getLogger(ShardRouter.class);
    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    Membership membership;

    @ConfigProperty(name = "herald.router.batch-size", defaultValue = "512")
    int batchSize;

    @ConfigProperty(name = "herald.streams.inbox-max-length", defaultValue = "100000")
    int inboxMaxLength;

    @ConfigProperty(name = "herald.limits.presence-max-members", defaultValue = "100")
    int presenceMaxMembers;

    /** How long a cache channel's last event is kept (Pusher: up to 30 minutes). */
    @ConfigProperty(name = "herald.cache.ttl-seconds", defaultValue = "1800")
    long cacheTtlSeconds;

    @Inject
    ShardStreams shardStreams;

    private StreamLayout layout;
    private InterestTable interest;
    private PresenceTable presence;
    private LastEvents lastEvents;
    private ShardOwnership ownership;
    private PeerView peers;
    private final Map<String, Integer> shardByStream = new HashMap<>();
    /** Gone gateways, with the owned shards already cleaned of them. */
    private final Map<String, Set<Integer>> cleanedUp = new HashMap<>();
    private volatile boolean running;
    private volatile boolean healthy;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        layout = cluster.layout();
        interest = new InterestTable(redis, layout);
        presence = new PresenceTable(redis, layout, presenceMaxMembers, inboxMaxLength);
        lastEvents = new LastEvents(redis, layout, cacheTtlSeconds * 1000, inboxMaxLength);
        ownership = new ShardOwnership(redis, layout, cluster.nodeId(), cluster.shardCount());
        peers = membership.peers();
        for (int shard = 0; shard < cluster.shardCount(); shard++) {
            shardByStream.put(layout.shardStream(shard), shard);
        }
        running = true;
        thread = new Thread(this::run, "herald-router");
        thread.start();
        LOG.infof("Router %s started; cluster %s has %d shards", cluster.nodeId(), cluster.clusterName(), cluster.shardCount());
    }

    /** Stops routing and hands the shards back before the Lease is released, so peers take over at once. */
    void stop(@Observes @Priority(Interceptor.Priority.APPLICATION) ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(READ_TIMEOUT.multipliedBy(4).toMillis());
            ownership.releaseAll();
        }
    }

    public boolean isHealthy() {
        return running && healthy;
    }

    /** The shards this router owns now, with their epochs. */
    public Map<Integer, Long> ownedShards() {
        return Map.copyOf(ownership.epochs());
    }

    private void run() {
        while (running) {
            try {
                turn();
                healthy = true;
            } catch (RuntimeException e) {
                healthy = false;
                LOG.warnf("Routing failed, retrying in 1 s: %s", e.toString());
                pause(Duration.ofSeconds(1));
            }
        }
    }

    private void turn() {
        Set<String> liveRouters = new TreeSet<>(peers.alive(Role.ROUTER));
        boolean leaseHeld = membership.own().isHeld();
        if (leaseHeld) {
            liveRouters.add(cluster.nodeId());
        }
        if (peers.hasSynced()) {
            for (int shard : ownership.reconcile(leaseHeld, liveRouters, peers::isAlive)) {
                interest.dropShard(shard);
                presence.dropShard(shard);
            }
        }
        // Without a current Lease this router's view of its peers may be stale (the API server
        // may be out of reach for it alone), and the inbox deletion below is not fenced.
        if (leaseHeld) {
            cleanUpAfterGoneGateways();
        }
        if (ownership.epochs().isEmpty()) {
            pause(READ_TIMEOUT);
            return;
        }
        Map<String, Map<StreamMessageId, Map<String, String>>> batch = read();
        if (!batch.isEmpty()) {
            route(batch);
        }
    }

    /**
     * Reads the next batch: first, without blocking, the pending entries of shards being taken
     * over (this router's history, id 0); once none is left, new entries of all owned shards.
     */
    private Map<String, Map<StreamMessageId, Map<String, String>>> read() {
        boolean replay = !ownership.replaying().isEmpty();
        List<String> streams = new ArrayList<>();
        for (int shard : replay ? ownership.replaying() : ownership.epochs().keySet()) {
            streams.add(layout.shardStream(shard));
        }
        StreamMessageId from = replay ? new StreamMessageId(0, 0) : StreamMessageId.NEVER_DELIVERED;
        Map<String, StreamMessageId> others = new LinkedHashMap<>();
        for (String stream : streams.subList(1, streams.size())) {
            others.put(stream, from);
        }
        StreamMultiReadGroupArgs args = StreamMultiReadGroupArgs.greaterThan(from, others).count(batchSize);
        if (!replay) {
            args = args.timeout(READ_TIMEOUT);
        }
        Map<String, Map<StreamMessageId, Map<String, String>>> batch = redis.<String, String>getStream(streams.get(0),
                StringCodec.INSTANCE).readGroup(StreamLayout.ROUTER_GROUP, cluster.nodeId(), args);
        if (batch == null) {
            batch = Map.of();
        }
        if (replay) {
            for (String stream : streams) {
                Map<StreamMessageId, Map<String, String>> entries = batch.get(stream);
                if (entries == null || entries.isEmpty()) {
                    ownership.replayed(shardByStream.get(stream));
                }
            }
        }
        return batch;
    }

    private void route(Map<String, Map<StreamMessageId, Map<String, String>>> batch) {
        Set<String> goneGateways = peers.gone(Role.GATEWAY);
        Map<Integer, Set<String>> channelsByShard = new HashMap<>();
        Map<Integer, Set<String>> presenceByShard = new HashMap<>();
        Set<String> cacheRequested = new HashSet<>();
        List<ReadEntry> entries = new ArrayList<>();
        batch.forEach((stream, streamEntries) -> {
            int shard = shardByStream.get(stream);
            streamEntries.forEach((id, fields) -> {
                ReadEntry entry = decode(stream, shard, id, fields);
                entries.add(entry);
                if (entry.decoded != null) {
                    channelsByShard.computeIfAbsent(shard, s -> new HashSet<>())
                            .add(layout.interest(entry.decoded.app(), entry.decoded.channel()));
                    if (entry.decoded instanceof CacheRequest
                            || (entry.decoded instanceof PresenceJoin && CacheChannels.isCache(entry.decoded.channel()))) {
                        cacheRequested.add(layout.cache(entry.decoded.app(), entry.decoded.channel()));
                    }
                    if (entry.decoded instanceof PresenceJoin || entry.decoded instanceof PresenceLeave) {
                        presenceByShard.computeIfAbsent(shard, s -> new HashSet<>())
                                .add(layout.presence(entry.decoded.app(), entry.decoded.channel()));
                    }
                }
            });
        });
        interest.load(channelsByShard);
        presence.load(presenceByShard);
        lastEvents.load(cacheRequested);

        FencedWrites writes = new FencedWrites(layout);
        List<UserPresence> userChanges = new ArrayList<>();
        batch.forEach((stream, streamEntries) -> streamEntries.keySet().stream().findFirst()
                .ifPresent(first -> writes.trimBefore(shardByStream.get(stream), stream, first.toString())));
        for (ReadEntry entry : entries) {
            if (entry.decoded instanceof InterestChange change) {
                // A dead gateway's last announcements may still be queued; its cleanup already ran.
                if (!(change.interested() && goneGateways.contains(change.gatewayId()))
                        && interest.apply(entry.shard, change, writes) && UserChannels.isUserChannel(change.channel())) {
                    userChanges.add(new UserPresence(change.app(), UserChannels.userOf(change.channel()), change.interested()));
                }
            } else if (entry.decoded instanceof PresenceJoin join) {
                // Like interest: a dead gateway's queued joins would leave ghost members.
                if (!goneGateways.contains(join.gatewayId())) {
                    presence.join(entry.shard, join, entry.offset(), gatewaysOf(entry), writes);
                    if (CacheChannels.isCache(join.channel())) {
                        lastEvents.answer(entry.shard, new CacheRequest(join.app(), join.channel(), join.gatewayId(),
                                join.socketId()), writes);
                    }
                }
            } else if (entry.decoded instanceof CacheRequest request) {
                lastEvents.answer(entry.shard, request, writes);
            } else if (entry.decoded instanceof PresenceLeave leave) {
                presence.leave(entry.shard, leave, entry.offset(), gatewaysOf(entry), writes);
            } else if (entry.decoded instanceof Publication publication) {
                Map<String, String> delivery = EnvelopeCodec.encode(new Delivery(publication, entry.offset()));
                for (String gateway : gatewaysOf(entry)) {
                    writes.deliver(entry.shard, layout.inbox(gateway), inboxMaxLength, delivery);
                }
                if (CacheChannels.isCache(publication.channel())) {
                    lastEvents.published(entry.shard, publication, writes);
                }
            }
            writes.acknowledge(entry.shard, entry.stream, StreamLayout.ROUTER_GROUP, entry.id.toString());
        }
        applyFenced(writes);
        tellWatchers(userChanges);
    }

    /** A signed-in user came online (their first connection anywhere) or went offline (their last). */
    private record UserPresence(String app, String userId, boolean online) {
    }

    /**
     * Sends watchlist events to the users watching those who came online or went offline, on
     * the watchers' own user channels: they reach the watchers' connections wherever they are.
     */
    private void tellWatchers(List<UserPresence> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<Publication> events = new ArrayList<>();
        for (UserPresence change : changes) {
            String data = UserChannels.watchlistEvents(change.online() ? "online" : "offline", List.of(change.userId()));
            for (String watcher : redis.<String>getSet(layout.watchers(change.app(), change.userId()), StringCodec.INSTANCE)
                    .readAll()) {
                events.add(new Publication(change.app(), UserChannels.of(watcher), UserChannels.WATCHLIST_EVENTS, data, null));
            }
        }
        if (!events.isEmpty()) {
            shardStreams.append(events).toCompletableFuture().join();
        }
    }

    private Set<String> gatewaysOf(ReadEntry entry) {
        return interest.gateways(entry.shard, layout.interest(entry.decoded.app(), entry.decoded.channel()));
    }

    /**
     * Cleans up after gateways whose Lease expired, in the owned shards: removes them from the
     * interest sets, drops their inboxes, and makes their connections leave their presence
     * channels. The leaves are appended to the shard streams, so the member_removed they cause
     * are ordered with everything else in their channels.
     */
    private void cleanUpAfterGoneGateways() {
        Set<String> gone = peers.gone(Role.GATEWAY);
        cleanedUp.keySet().retainAll(gone);
        FencedWrites writes = new FencedWrites(layout);
        List<PresenceLeave> leaves = new ArrayList<>();
        List<UserPresence> wentOffline = new ArrayList<>();
        for (String gateway : gone) {
            Set<Integer> cleaned = cleanedUp.computeIfAbsent(gateway, g -> {
                redis.getStream(layout.inbox(g)).delete();
                LOG.infof("Gateway %s is gone: removing it from the interest and presence of this router's shards", g);
                return new HashSet<>();
            });
            for (int shard : ownership.epochs().keySet()) {
                if (cleaned.add(shard)) {
                    wentOffline.addAll(usersOnlyOn(gateway, shard));
                    interest.forgetGateway(shard, gateway, writes);
                    leaves.addAll(presenceLeavesOf(gateway, shard));
                }
            }
        }
        applyFenced(writes);
        if (!leaves.isEmpty()) {
            shardStreams.append(leaves).toCompletableFuture().join();
        }
        tellWatchers(wentOffline);
    }

    /** The signed-in users of shard n whose only gateway was the dead one: they go offline with it. */
    private List<UserPresence> usersOnlyOn(String gateway, int shard) {
        List<UserPresence> offline = new ArrayList<>();
        for (String key : redis.<String>getSet(layout.gatewayInterest(gateway, shard), StringCodec.INSTANCE).readAll()) {
            String[] appAndChannel = layout.appAndChannelOfInterestKey(key);
            if (UserChannels.isUserChannel(appAndChannel[1])) {
                interest.load(Map.of(shard, Set.of(key)));
                if (interest.gateways(shard, key).equals(Set.of(gateway))) {
                    offline.add(new UserPresence(appAndChannel[0], UserChannels.userOf(appAndChannel[1]), false));
                }
            }
        }
        return offline;
    }

    private List<PresenceLeave> presenceLeavesOf(String gateway, int shard) {
        List<PresenceLeave> leaves = new ArrayList<>();
        Set<String> channels = redis.<String>getSet(layout.gatewayPresence(gateway, shard), StringCodec.INSTANCE).readAll();
        for (String appAndChannel : channels) {
            int colon = appAndChannel.indexOf(':');
            String app = appAndChannel.substring(0, colon);
            String channel = appAndChannel.substring(colon + 1);
            presence.load(Map.of(shard, Set.of(layout.presence(app, channel))));
            for (String socket : presence.socketsOf(shard, app, channel, gateway)) {
                leaves.add(new PresenceLeave(app, channel, gateway, socket));
            }
        }
        return leaves;
    }

    private void applyFenced(FencedWrites writes) {
        for (int shard : writes.execute(redis, ownership.epochs())) {
            ownership.lost(shard);
            interest.dropShard(shard);
            presence.dropShard(shard);
        }
    }

    private static ReadEntry decode(String stream, int shard, StreamMessageId id, Map<String, String> fields) {
        try {
            // An entry trimmed while pending comes back without fields: it is only acknowledged.
            if (fields != null && !fields.isEmpty()) {
                return new ReadEntry(stream, shard, id, EnvelopeCodec.decodeShardEntry(fields));
            }
        } catch (MalformedEnvelopeException e) {
            LOG.errorf("Skipping malformed entry %s of %s: %s", id, stream, e.getMessage());
        }
        return new ReadEntry(stream, shard, id, null);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An entry as read; malformed ones have no decoded form and are only acknowledged. */
    private record ReadEntry(String stream, int shard, StreamMessageId id, ShardEntry decoded) {
        StreamOffset offset() {
            return new StreamOffset(id.getId0(), id.getId1());
        }
    }
}
