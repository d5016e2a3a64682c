package io.herald.router.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;
import org.redisson.api.stream.StreamMessageId;

import io.herald.router.cache.LastEvents;
import io.herald.router.history.ChannelHistory;
import io.herald.router.history.ChannelHistory.Channel;
import io.herald.router.presence.PresenceTable;
import io.herald.router.routing.WatcherNotices.UserPresence;
import io.herald.streams.CacheChannels;
import io.herald.streams.CacheRequest;
import io.herald.streams.Delivery;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.InterestChange;
import io.herald.streams.MalformedEnvelopeException;
import io.herald.streams.PersistentSubscription;
import io.herald.streams.PresenceJoin;
import io.herald.streams.PresenceLeave;
import io.herald.streams.Position;
import io.herald.streams.Publication;
import io.herald.streams.RecoveryRequest;
import io.herald.streams.ShardEntry;
import io.herald.streams.StreamLayout;
import io.herald.streams.StreamOffset;
import io.herald.streams.SubscriptionCountChange;
import io.herald.streams.UserChannels;

/**
 * Turns one batch read from the shard streams into the fenced writes that route it: interest
 * changes update the interest table, presence joins and leaves the presence table, cache requests
 * and recovery requests are answered, subscription count changes announced, and each publication gets its position in its channel and
 * goes to the inbox of every gateway with subscribers on its channel, and of no other gateway. Every entry is acknowledged in the same per-shard script as
 * what it caused. Nothing is written here: the caller applies the writes, and on failure drops
 * the tables' caches, since they may hold changes Redis never got.
 */
final class BatchRouter {

    private static final Logger LOG = Logger.getLogger(BatchRouter.class);

    /** A routed batch: the writes to apply, and the users who came online or went offline with it. */
    record Routed(FencedWrites writes, List<UserPresence> userChanges) {
    }

    private final StreamLayout layout;
    private final InterestTable interest;
    private final PresenceTable presence;
    private final LastEvents lastEvents;
    private final ChannelHistory history;
    private final PersistentSubscribers persistent;
    private final SubscriptionTotals subscriptionTotals;
    private final int inboxMaxLength;
    private final Map<String, Integer> shardByStream;

    BatchRouter(StreamLayout layout, InterestTable interest, PresenceTable presence, LastEvents lastEvents,
            ChannelHistory history, PersistentSubscribers persistent, SubscriptionTotals subscriptionTotals, int inboxMaxLength,
            Map<String, Integer> shardByStream) {
        this.persistent = persistent;
        this.subscriptionTotals = subscriptionTotals;
        this.layout = layout;
        this.interest = interest;
        this.presence = presence;
        this.lastEvents = lastEvents;
        this.history = history;
        this.inboxMaxLength = inboxMaxLength;
        this.shardByStream = shardByStream;
    }

    /**
     * A batch as read and decoded, with the table entries that routing it reads: pure, so a batch
     * can be decoded on the Redis client's event loop and routed there only if no table needs Redis.
     */
    record Decoded(Map<String, Map<StreamMessageId, Map<String, String>>> batch, List<ReadEntry> entries,
            Map<Integer, Set<String>> channelsByShard, Map<Integer, Set<String>> presenceByShard,
            Map<Integer, Set<String>> persistentByShard, Set<String> cacheRequested, Set<String> countsChanged,
            Map<Integer, Set<Channel>> positionedByShard, boolean publicationsOnly) {
    }

    /**
     * @param goneGateways gateways already cleaned up after: their queued announcements are ignored
     */
    Routed route(Map<String, Map<StreamMessageId, Map<String, String>>> batch, Set<String> goneGateways) {
        return route(decode(batch), goneGateways);
    }

    /**
     * Whether routing the batch reads nothing from Redis: it holds publications only, and every
     * table entry they need is cached. A publication needs no other table than these three.
     */
    boolean routesFromCache(Decoded decoded) {
        return decoded.publicationsOnly() && interest.isCached(decoded.channelsByShard())
                && history.isCached(decoded.positionedByShard()) && persistent.isCached(decoded.persistentByShard());
    }

    /** Loads what the batch's routing reads (nothing when {@link #routesFromCache}) and routes it. */
    Routed route(Decoded decoded, Set<String> goneGateways) {
        load(decoded);
        Map<String, Map<StreamMessageId, Map<String, String>>> batch = decoded.batch();
        List<ReadEntry> entries = decoded.entries();
        long routedAt = System.currentTimeMillis();
        FencedWrites writes = new FencedWrites(layout);
        List<UserPresence> userChanges = new ArrayList<>();
        batch.forEach((stream, streamEntries) -> streamEntries.keySet().stream().findFirst().ifPresent(
                first -> writes.trimBefore(shardByStream.get(stream), stream, StreamLayout.ROUTER_GROUP, first.toString())));
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
                    if (CacheChannels.isCache(join.channel()) && !join.rejoin()) {
                        lastEvents.answer(entry.shard, new CacheRequest(join.app(), join.channel(), join.gatewayId(),
                                join.socketId()), writes);
                    }
                }
            } else if (entry.decoded instanceof CacheRequest request) {
                lastEvents.answer(entry.shard, request, writes);
            } else if (entry.decoded instanceof RecoveryRequest request) {
                if (!goneGateways.contains(request.gatewayId())) {
                    history.answer(entry.shard, request, writes);
                }
            } else if (entry.decoded instanceof PersistentSubscription subscription) {
                persistent.apply(entry.shard, subscription, writes);
            } else if (entry.decoded instanceof SubscriptionCountChange change) {
                subscriptionTotals.announce(entry.shard, change, entry.offset(), gatewaysOf(entry), writes);
            } else if (entry.decoded instanceof PresenceLeave leave) {
                presence.leave(entry.shard, leave, entry.offset(), gatewaysOf(entry), writes);
            } else if (entry.decoded instanceof Publication publication) {
                Position position = history.publish(entry.shard, publication, routedAt, writes);
                Map<String, String> delivery = EnvelopeCodec.encode(new Delivery(publication, entry.offset(), position));
                for (String gateway : gatewaysOf(entry)) {
                    writes.deliver(entry.shard, layout.inboxOfShard(gateway, entry.shard), inboxMaxLength, delivery);
                }
                if (CacheChannels.isCache(publication.channel())) {
                    lastEvents.published(entry.shard, publication, writes);
                }
                persistent.copy(entry.shard, publication, position, writes);
            } else if (entry.decoded != null) {
                throw new IllegalStateException("No route for shard entry " + entry.decoded.getClass().getSimpleName());
            }
            writes.acknowledge(entry.shard, entry.stream, StreamLayout.ROUTER_GROUP, entry.id.toString());
        }
        history.finish(writes);
        return new Routed(writes, userChanges);
    }

    /** Decodes the batch and lists every table entry routing it will touch. */
    Decoded decode(Map<String, Map<StreamMessageId, Map<String, String>>> batch) {
        Map<Integer, Set<String>> channelsByShard = new HashMap<>();
        Map<Integer, Set<String>> presenceByShard = new HashMap<>();
        Map<Integer, Set<String>> persistentByShard = new HashMap<>();
        Set<String> cacheRequested = new HashSet<>();
        Set<String> countsChanged = new HashSet<>();
        Map<Integer, Set<Channel>> positionedByShard = new HashMap<>();
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
                    if (entry.decoded instanceof SubscriptionCountChange) {
                        countsChanged.add(layout.subscriptions(entry.decoded.app(), entry.decoded.channel()));
                    }
                    if (entry.decoded instanceof Publication || entry.decoded instanceof RecoveryRequest) {
                        positionedByShard.computeIfAbsent(shard, s -> new HashSet<>())
                                .add(new Channel(entry.decoded.app(), entry.decoded.channel()));
                    }
                    if ((entry.decoded instanceof Publication || entry.decoded instanceof PersistentSubscription)
                            && PersistentSubscribers.mayHaveSubscribers(entry.decoded.channel())) {
                        persistentByShard.computeIfAbsent(shard, s -> new HashSet<>())
                                .add(layout.persistentSubscribers(entry.decoded.app(), entry.decoded.channel()));
                    }
                    if (entry.decoded instanceof PresenceJoin || entry.decoded instanceof PresenceLeave) {
                        presenceByShard.computeIfAbsent(shard, s -> new HashSet<>())
                                .add(layout.presence(entry.decoded.app(), entry.decoded.channel()));
                    }
                }
            });
        });
        boolean publicationsOnly = entries.stream().allMatch(entry -> entry.decoded instanceof Publication);
        return new Decoded(batch, entries, channelsByShard, presenceByShard, persistentByShard, cacheRequested, countsChanged,
                positionedByShard, publicationsOnly);
    }

    /** Loads, in a few round trips, every table entry the batch will touch that is not cached. */
    private void load(Decoded decoded) {
        interest.load(decoded.channelsByShard());
        presence.load(decoded.presenceByShard());
        persistent.load(decoded.persistentByShard());
        lastEvents.load(decoded.cacheRequested());
        subscriptionTotals.load(decoded.countsChanged());
        history.load(decoded.positionedByShard());
    }

    private Set<String> gatewaysOf(ReadEntry entry) {
        return interest.gateways(entry.shard, layout.interest(entry.decoded.app(), entry.decoded.channel()));
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

    /** An entry as read; malformed ones have no decoded form and are only acknowledged. */
    record ReadEntry(String stream, int shard, StreamMessageId id, ShardEntry decoded) {
        StreamOffset offset() {
            return new StreamOffset(id.getId0(), id.getId1());
        }
    }
}
