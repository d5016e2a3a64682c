package io.herald.router.presence;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.router.routing.FencedWrites;
import io.herald.router.routing.WebhookFacts;
import io.herald.streams.Delivery;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.PresenceAnswer;
import io.herald.streams.PresenceJoin;
import io.herald.streams.PresenceLeave;
import io.herald.streams.Publication;
import io.herald.streams.StreamLayout;
import io.herald.streams.StreamOffset;
import io.herald.streams.WebhookFact;

/**
 * Presence, decided by the channel's router in channel order: which connections are in each
 * presence channel of the owned shards, as which users. A join that makes a user a member sends
 * {@code member_added} to everyone else in the channel, on every gateway; a leave that removes a
 * user's last connection sends {@code member_removed} (both also become the webhook facts
 * {@code member_added} and {@code member_removed}, once each); every join is answered with the member
 * list. Redis holds the truth (one hash per channel, written only through {@link FencedWrites});
 * this table caches it per shard like the interest table. Used by one thread at a time, like the interest table.
 */
public final class PresenceTable {

    private static final String MEMBER_ADDED = "pusher_internal:member_added";
    private static final String MEMBER_REMOVED = "pusher_internal:member_removed";

    private final RedissonClient redis;
    private final StreamLayout layout;
    private final int maxMembers;
    private final int inboxMaxLength;
    private final WebhookFacts webhooks;
    private final Map<Integer, Map<String, ChannelMembers>> membersByShard = new HashMap<>();

    public PresenceTable(RedissonClient redis, StreamLayout layout, int maxMembers, int inboxMaxLength,
            WebhookFacts webhooks) {
        this.webhooks = webhooks;
        this.redis = redis;
        this.layout = layout;
        this.maxMembers = maxMembers;
        this.inboxMaxLength = inboxMaxLength;
    }

    /** Loads, in one round trip, the presence channels of the given keys not cached yet. */
    public void load(Map<Integer, Set<String>> presenceKeysByShard) {
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        Map<Integer, Map<String, RFuture<Map<String, String>>>> reads = new HashMap<>();
        presenceKeysByShard.forEach((shard, keys) -> keys.forEach(key -> {
            if (!shard(shard).containsKey(key)) {
                reads.computeIfAbsent(shard, s -> new HashMap<>())
                        .put(key, batch.<String, String>getMap(key, StringCodec.INSTANCE).readAllMapAsync());
            }
        }));
        if (reads.isEmpty()) {
            return;
        }
        batch.execute();
        reads.forEach((shard, byKey) -> byKey.forEach(
                (key, read) -> shard(shard).put(key, ChannelMembers.fromStored(read.toCompletableFuture().join()))));
    }

    /**
     * Applies a join.
     *
     * @param gateways the gateways with subscribers on the channel, to hear member_added
     */
    public void join(int shard, PresenceJoin join, StreamOffset offset, Set<String> gateways, FencedWrites writes) {
        String key = layout.presence(join.app(), join.channel());
        ChannelMembers members = members(shard, key);
        if (join.rejoin()) {
            // Announced again after Redis lost the channel's presence: the connection and its
            // peers already know the member, so nobody is told.
            record(shard, key, members, join, writes);
            return;
        }
        if (!members.isMember(join.userId()) && members.userCount() >= maxMembers) {
            answer(shard, join.gatewayId(), new PresenceAnswer(join.app(), join.channel(), join.socketId(), null,
                    "Presence channel " + join.channel() + " is full: it has " + maxMembers + " members"), writes);
            return;
        }
        if (record(shard, key, members, join, writes)) {
            broadcast(shard, new Publication(join.app(), join.channel(), MEMBER_ADDED, members.memberData(join.userId()),
                    join.socketId()), offset, gateways, writes);
            webhooks.append(shard, WebhookFact.membership(join.app(), join.channel(), join.userId(), true), writes);
        }
        answer(shard, join.gatewayId(),
                new PresenceAnswer(join.app(), join.channel(), join.socketId(), members.snapshot(), null), writes);
    }

    /** Adds the connection to the cache and Redis; returns whether its user became a member with it. */
    private boolean record(int shard, String key, ChannelMembers members, PresenceJoin join, FencedWrites writes) {
        ChannelMembers.Connection connection = new ChannelMembers.Connection(join.userId(), join.userInfo(), join.gatewayId());
        boolean newMember = members.add(join.socketId(), connection);
        writes.setField(shard, key, join.socketId(), connection.toJson());
        writes.addToSet(shard, layout.gatewayPresence(join.gatewayId(), shard), join.app() + ":" + join.channel());
        return newMember;
    }

    public void leave(int shard, PresenceLeave leave, StreamOffset offset, Set<String> gateways, FencedWrites writes) {
        String key = layout.presence(leave.app(), leave.channel());
        ChannelMembers members = members(shard, key);
        if (!members.connections().containsKey(leave.socketId())) {
            return;
        }
        String gone = members.remove(leave.socketId());
        if (gone != null) {
            // Before the record goes, for the reason InterestTable gives: repeated rather than lost.
            webhooks.append(shard, WebhookFact.membership(leave.app(), leave.channel(), gone, false), writes);
        }
        writes.removeField(shard, key, leave.socketId());
        boolean gatewayStillThere = members.connections().values().stream()
                .anyMatch(connection -> connection.gatewayId().equals(leave.gatewayId()));
        if (!gatewayStillThere) {
            writes.removeFromSet(shard, layout.gatewayPresence(leave.gatewayId(), shard), leave.app() + ":" + leave.channel());
        }
        if (gone != null) {
            String data = new io.vertx.core.json.JsonObject().put("user_id", gone).encode();
            broadcast(shard, new Publication(leave.app(), leave.channel(), MEMBER_REMOVED, data, leave.socketId()), offset,
                    gateways, writes);
        }
    }

    /** The connections a gateway had in a presence channel, to leave on its behalf once it died. */
    public Set<String> socketsOf(int shard, String app, String channel, String gatewayId) {
        ChannelMembers members = members(shard, layout.presence(app, channel));
        Set<String> sockets = new java.util.TreeSet<>();
        members.connections().forEach((socket, connection) -> {
            if (connection.gatewayId().equals(gatewayId)) {
                sockets.add(socket);
            }
        });
        return sockets;
    }

    public void dropShard(int shard) {
        membersByShard.remove(shard);
    }

    /** Forgets everything cached: after a failure the cache may hold changes Redis never got. */
    public void clear() {
        membersByShard.clear();
    }

    private void broadcast(int shard, Publication event, StreamOffset offset, Set<String> gateways, FencedWrites writes) {
        Map<String, String> delivery = EnvelopeCodec.encode(new Delivery(event, offset));
        for (String gateway : gateways) {
            writes.deliver(shard, layout.inboxOfShard(gateway, shard), inboxMaxLength, delivery);
        }
    }

    private void answer(int shard, String gatewayId, PresenceAnswer answer, FencedWrites writes) {
        writes.deliver(shard, layout.inboxOfShard(gatewayId, shard), inboxMaxLength, EnvelopeCodec.encode(answer));
    }

    private ChannelMembers members(int shard, String key) {
        return shard(shard).computeIfAbsent(key, k -> new ChannelMembers());
    }

    private Map<String, ChannelMembers> shard(int shard) {
        return membersByShard.computeIfAbsent(shard, s -> new HashMap<>());
    }
}
