package io.herald.gateway.fanout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.herald.gateway.GatewayMetrics;
import io.herald.gateway.protocol.ChannelNames;
import io.herald.gateway.protocol.CloseCodes;
import io.herald.gateway.protocol.Frames;
import io.herald.gateway.protocol.OutboundFrame;
import io.herald.gateway.protocol.PusherConnection;
import io.herald.streams.CacheAnswer;
import io.herald.streams.CacheChannels;
import io.herald.streams.CacheRequest;
import io.herald.streams.ClusterSettings;
import io.herald.streams.Delivery;
import io.herald.streams.InterestChange;
import io.herald.streams.OrderedShardWriter;
import io.herald.streams.PresenceAnswer;
import io.herald.streams.PresenceJoin;
import io.herald.streams.PresenceLeave;
import io.herald.gateway.fanout.ChannelSubscribers.PendingRecovery;
import io.herald.streams.HistoryEvent;
import io.herald.streams.Position;
import io.herald.streams.Publication;
import io.herald.streams.RecoveryAnswer;
import io.herald.streams.RecoveryRequest;
import io.herald.streams.UserChannels;

/**
 * The channels that connections of this gateway subscribe to. The first subscriber of a channel
 * makes the gateway announce its interest to the router, the last one to leave withdraws it;
 * a subscriber is told its subscription succeeded only once the interest is recorded, so it
 * receives every event published after that.
 */
@ApplicationScoped
public class LocalSubscriptions {

    /** Herald's event telling a recovering subscriber that what it missed cannot be replayed. */
    public static final String RECOVERY_FAILED = "herald:recovery_failed";

    @Inject
    OrderedShardWriter writer;

    @Inject
    ClusterSettings cluster;

    @Inject
    SubscriptionCounts counts;

    @Inject
    GatewayMetrics metrics;

    private final Map<ChannelKey, ChannelSubscribers> channels = new ConcurrentHashMap<>();

    /**
     * Subscribes the connection; it receives the channel's events once the returned stage
     * completes, right after it was sent {@code subscription_succeeded}.
     */
    public CompletableFuture<Void> subscribe(PusherConnection connection, String channel) {
        return subscribe(connection, channel, true, null);
    }

    /**
     * Subscribes the connection with recovery ({@code herald_recover}): the router answers at its
     * place in channel order with the channel's position and the events after {@code since}
     * (see {@link #answer(RecoveryAnswer)}). Cache channels answer with their last event instead.
     *
     * @param since the last position the client saw, or null when it has none yet
     */
    public CompletableFuture<Void> subscribeRecovering(PusherConnection connection, String channel, Position since) {
        return subscribe(connection, channel, true, new Recovery(since));
    }

    /** Subscribes the connection to one of Herald's own channels, which the client does not see. */
    public CompletableFuture<Void> subscribeInternally(PusherConnection connection, String channel) {
        return subscribe(connection, channel, false, null);
    }

    /** What a client asked to recover; {@code since} null when it only wants the channel's position. */
    private record Recovery(Position since) {
    }

    private CompletableFuture<Void> subscribe(PusherConnection connection, String channel, boolean tellClient,
            Recovery recovery) {
        ChannelKey key = new ChannelKey(connection.app().id(), channel);
        ChannelSubscribers subscribers = hold(key, connection);
        if (recovery != null && !CacheChannels.isCache(channel)) {
            return subscribers.interestRecorded.thenCompose(ignored -> askRecovery(subscribers, connection, key, recovery));
        }
        if (tellClient && CacheChannels.isCache(channel)) {
            // The router answers with the last event at the subscriber's place in channel order.
            return subscribers.interestRecorded.thenCompose(ignored -> subscribers.holders.contains(connection)
                    ? writer.append(new CacheRequest(key.app(), channel, cluster.nodeId(), connection.socketId()))
                    : CompletableFuture.completedFuture(null));
        }
        return subscribers.interestRecorded.thenRun(() -> {
            // Under the channel's lock, like deliver: a delivery between the success frame and
            // joining the receivers would be lost to a client that believes it is subscribed.
            synchronized (subscribers) {
                if (subscribers.holders.contains(connection)) {
                    if (tellClient) {
                        connection.send(Frames.subscriptionSucceeded(channel));
                    }
                    subscribers.receivers.add(connection);
                }
            }
        });
    }

    /**
     * Subscribes the connection to a presence channel: once the gateway's interest is recorded it
     * asks the channel's router to add the member. The connection receives the channel's events
     * from the router's answer on (see {@link #answer}), which carries the member list.
     */
    public CompletableFuture<Void> subscribePresence(PusherConnection connection, String channel, String userId,
            String userInfo) {
        return subscribePresence(connection, channel, userId, userInfo, null);
    }

    /**
     * A presence subscription with recovery: the join, then the recovery request, so the
     * connection gets the member list, then the missed events, then the live ones.
     */
    public CompletableFuture<Void> subscribePresenceRecovering(PusherConnection connection, String channel, String userId,
            String userInfo, Position since) {
        return subscribePresence(connection, channel, userId, userInfo, new Recovery(since));
    }

    private CompletableFuture<Void> subscribePresence(PusherConnection connection, String channel, String userId,
            String userInfo, Recovery recovery) {
        ChannelKey key = new ChannelKey(connection.app().id(), channel);
        ChannelSubscribers subscribers = hold(key, connection);
        return subscribers.interestRecorded.thenCompose(ignored -> {
            // Under the connection's lock, like leavePresence: a leave queued before the join
            // would let the join make a ghost member.
            synchronized (connection) {
                if (!userId.equals(connection.presenceUser(channel))) {
                    return CompletableFuture.completedFuture(null);
                }
                PresenceJoin join = new PresenceJoin(key.app(), channel, cluster.nodeId(), connection.socketId(), userId,
                        userInfo);
                subscribers.joins.put(connection, join);
                if (recovery == null || CacheChannels.isCache(channel)) {
                    return writer.append(join);
                }
                // Pending before the join leaves, so the presence answer finds it.
                RecoveryRequest request = pendRecovery(subscribers, connection, key, recovery);
                return CompletableFuture.allOf(writer.append(join), writer.append(request));
            }
        });
    }

    /** Asks the channel's router for the position and the missed events, unless the connection left meanwhile. */
    private CompletableFuture<Void> askRecovery(ChannelSubscribers subscribers, PusherConnection connection, ChannelKey key,
            Recovery recovery) {
        if (!subscribers.holders.contains(connection)) {
            return CompletableFuture.completedFuture(null);
        }
        return writer.append(pendRecovery(subscribers, connection, key, recovery));
    }

    private RecoveryRequest pendRecovery(ChannelSubscribers subscribers, PusherConnection connection, ChannelKey key,
            Recovery recovery) {
        RecoveryRequest request = new RecoveryRequest(key.app(), key.channel(), cluster.nodeId(), connection.socketId(),
                recovery.since());
        subscribers.recoveries.put(connection, new PendingRecovery(request, null));
        return request;
    }

    /** Tells the router a connection left a presence channel, before the gateway may lose interest in it. */
    public void leavePresence(PusherConnection connection, String channel) {
        synchronized (connection) {
            if (connection.leftPresence(channel) != null) {
                writer.append(new PresenceLeave(connection.app().id(), channel, cluster.nodeId(), connection.socketId()));
            }
        }
    }

    /**
     * Hands the router's answer to a presence join to the connection that joined: the member list
     * with {@code subscription_succeeded}, after which it receives the channel's events, or the
     * refusal. Called by the inbox reader, in inbox order.
     */
    public void answer(PresenceAnswer answer) {
        Addressee to = addressee(answer.app(), answer.channel(), answer.socketId());
        if (to == null) {
            return;
        }
        PendingRecovery recovering = to.subscribers().recoveries.get(to.connection());
        if (answer.refusal() != null) {
            to.subscribers().recoveries.remove(to.connection());
            to.connection().send(Frames.subscriptionError(answer.channel(), "LimitReached", answer.refusal(), 4100));
            to.connection().channels().remove(answer.channel());
            to.connection().leftPresence(answer.channel());
            unsubscribe(to.connection(), answer.channel());
        } else if (recovering != null) {
            // The recovery answer, right behind, says subscription_succeeded with the members.
            to.subscribers().recoveries.put(to.connection(), new PendingRecovery(recovering.request(), answer.members()));
        } else {
            to.connection().send(Frames.event("pusher_internal:subscription_succeeded", answer.channel(), answer.members()));
            to.subscribers().receivers.add(to.connection());
        }
    }

    /**
     * Adds the connection to the channel's holders; the first one makes the gateway announce its
     * interest. compute() runs atomically per channel, so announcements leave in the order of the
     * transitions they describe.
     */
    private ChannelSubscribers hold(ChannelKey key, PusherConnection connection) {
        return channels.compute(key, (k, existing) -> {
            ChannelSubscribers current = existing != null ? existing : new ChannelSubscribers(announce(k, true));
            if (current.holders.add(connection)) {
                counts.add(k, 1);
                metrics.subscribed(k.app(), 1);
            }
            return current;
        });
    }

    /**
     * Hands the router's answer to a cache subscription to the connection: subscription_succeeded,
     * then the channel's last event or {@code pusher:cache_miss}, after which it receives the
     * channel's events. Called by the inbox reader, in inbox order.
     */
    public void answer(CacheAnswer answer) {
        Addressee to = addressee(answer.app(), answer.channel(), answer.socketId());
        if (to == null) {
            return;
        }
        // On presence-cache channels the presence answer, just before, already said it.
        if (!ChannelNames.isPresence(answer.channel())) {
            to.connection().send(Frames.subscriptionSucceeded(answer.channel()));
        }
        to.connection().send(answer.event() == null
                ? Frames.event("pusher:cache_miss", answer.channel(), "{}")
                : Frames.event(answer.event(), answer.channel(), answer.data()));
        to.subscribers().receivers.add(to.connection());
    }

    /**
     * Hands the router's answer to a recovery request to the connection that asked:
     * subscription_succeeded with the channel's position (and the member list on presence
     * channels), the missed events in order, or {@code herald:recovery_failed}, after which it
     * receives the channel's events. Called by the inbox reader, in inbox order, so the live
     * events after the answer follow the recovered ones without a gap.
     */
    public void answer(RecoveryAnswer answer) {
        Addressee to = addressee(answer.app(), answer.channel(), answer.socketId());
        PendingRecovery pending = to == null ? null : to.subscribers().recoveries.remove(to.connection());
        boolean presence = ChannelNames.isPresence(answer.channel());
        // Without a pending request, or after a refused presence join, there is nothing to succeed.
        if (pending == null || (presence && pending.members() == null)) {
            return;
        }
        PusherConnection connection = to.connection();
        connection.send(Frames.subscriptionSucceeded(answer.channel(), presence ? pending.members() : "{}", answer.current(),
                answer.recovered()));
        for (HistoryEvent event : answer.events()) {
            connection.send(Frames.event(event.event(), answer.channel(), event.data(), event.userId(),
                    new Position(answer.current().epoch(), event.offset())));
        }
        if (!answer.recovered()) {
            connection.send(Frames.event(RECOVERY_FAILED, answer.channel(), "{\"epoch\":\"" + answer.current().epoch()
                    + "\",\"offset\":" + answer.current().offset() + "}", null, answer.current()));
        }
        to.subscribers().receivers.add(connection);
    }

    /** A channel's subscribers here and the one of them a router's answer is for. */
    private record Addressee(ChannelSubscribers subscribers, PusherConnection connection) {
    }

    /** The holder of the channel with the socket id an answer names, or null when it has left. */
    private Addressee addressee(String app, String channel, String socketId) {
        ChannelSubscribers subscribers = channels.get(new ChannelKey(app, channel));
        if (subscribers != null) {
            for (PusherConnection connection : subscribers.holders) {
                if (connection.socketId().equals(socketId)) {
                    return new Addressee(subscribers, connection);
                }
            }
        }
        return null;
    }

    public void unsubscribe(PusherConnection connection, String channel) {
        channels.computeIfPresent(new ChannelKey(connection.app().id(), channel), (key, subscribers) -> {
            subscribers.receivers.remove(connection);
            subscribers.joins.remove(connection);
            subscribers.recoveries.remove(connection);
            if (subscribers.holders.remove(connection)) {
                counts.add(key, -1);
                metrics.subscribed(key.app(), -1);
            }
            if (subscribers.holders.isEmpty()) {
                announce(key, false);
                return null;
            }
            return subscribers;
        });
    }

    /**
     * Hands a delivery from the inbox to the channel's local receivers. The frame is encoded once
     * and the same bytes go to every socket. Called by the inbox reader only, one at a time.
     */
    public void deliver(Delivery delivery) {
        Publication publication = delivery.publication();
        ChannelSubscribers subscribers = channels.get(new ChannelKey(publication.app(), publication.channel()));
        if (subscribers == null) {
            return;
        }
        if (subscribers.lastDelivered != null && delivery.offset().compareTo(subscribers.lastDelivered) <= 0) {
            return;
        }
        subscribers.lastDelivered = delivery.offset();
        if (UserChannels.isUserChannel(publication.channel())) {
            deliverToUser(subscribers, publication);
            return;
        }
        String excluded = publication.excludedSocketId();
        int receivers = 0;
        try (OutboundFrame frame = OutboundFrame.of(Frames.event(publication.event(), publication.channel(),
                publication.data(), publication.userId(), delivery.position()))) {
            synchronized (subscribers) {
                for (PusherConnection receiver : subscribers.receivers) {
                    if (excluded == null || !excluded.equals(receiver.socketId())) {
                        receiver.send(frame);
                        receivers++;
                    }
                }
            }
        }
        // The shard stream entry's id holds the time Redis took the publication in.
        metrics.delivered(receivers, delivery.offset().millis());
    }

    /** What travels on a user's own channel: a termination, or watchlist events, which carry no channel. */
    private static void deliverToUser(ChannelSubscribers subscribers, Publication publication) {
        if (publication.event().equals(UserChannels.TERMINATE)) {
            subscribers.receivers.forEach(receiver -> receiver.close(CloseCodes.UNAUTHORIZED, "Connection terminated by the app"));
        } else if (publication.event().equals(UserChannels.WATCHLIST_EVENTS)) {
            try (OutboundFrame frame = OutboundFrame.of(Frames.withoutChannel(UserChannels.WATCHLIST_EVENTS, publication.data()))) {
                subscribers.receivers.forEach(receiver -> receiver.send(frame));
            }
        }
    }

    /** Whether the connection was told its subscription succeeded and still holds it. */
    public boolean isReceiving(PusherConnection connection, String channel) {
        ChannelSubscribers subscribers = channels.get(new ChannelKey(connection.app().id(), channel));
        return subscribers != null && subscribers.receivers.contains(connection);
    }

    /**
     * Announces again, after Redis lost its data, everything the routers knew of this gateway's
     * subscribers: its interest in each channel, each presence connection (as a rejoin, which
     * tells nobody), and its subscription counts. Every receiver is told, per channel, that
     * events may have been lost, since what Redis held unrouted is gone and nobody can say what.
     */
    public void announceAgain(String lostEvent, String lostData) {
        channels.forEach((key, subscribers) -> {
            synchronized (subscribers) {
                if (subscribers.holders.isEmpty()) {
                    return;
                }
                announce(key, true);
                // A join still waiting for its answer (lost with the inbox) is sent as a join again.
                subscribers.joins.forEach((connection, join) -> writer.append(new PresenceJoin(join.app(), join.channel(),
                        join.gatewayId(), join.socketId(), join.userId(), join.userInfo(),
                        subscribers.receivers.contains(connection))));
                subscribers.recoveries.values().forEach(pending -> writer.append(pending.request()));
                counts.set(key, subscribers.holders.size());
                tellReceivers(key, subscribers, lostEvent, lostData);
            }
        });
    }

    /** Sends every receiver, on each of its channels but users' own, an event of Herald's (such as a loss). */
    public void tellEveryReceiver(String event, String data) {
        channels.forEach((key, subscribers) -> {
            synchronized (subscribers) {
                tellReceivers(key, subscribers, event, data);
            }
        });
    }

    private static void tellReceivers(ChannelKey key, ChannelSubscribers subscribers, String event, String data) {
        if (!UserChannels.isUserChannel(key.channel()) && !subscribers.receivers.isEmpty()) {
            try (OutboundFrame frame = OutboundFrame.of(Frames.event(event, key.channel(), data))) {
                subscribers.receivers.forEach(receiver -> receiver.send(frame));
            }
        }
    }

    /** Tells routers that this gateway gained or lost subscribers on a channel. */
    private CompletableFuture<Void> announce(ChannelKey channel, boolean interested) {
        return writer.append(new InterestChange(channel.app(), channel.channel(), cluster.nodeId(), interested));
    }

    /** Channels with at least one subscriber here, for diagnostics and tests. */
    public List<ChannelKey> channels() {
        return List.copyOf(channels.keySet());
    }
}
