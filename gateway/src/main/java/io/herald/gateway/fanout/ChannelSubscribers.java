package io.herald.gateway.fanout;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.herald.gateway.protocol.PusherConnection;
import io.herald.streams.PresenceJoin;
import io.herald.streams.RecoveryRequest;
import io.herald.streams.StreamOffset;

/**
 * The subscribers of one channel on this gateway. {@code holders} keep the gateway's interest in
 * the channel alive; {@code receivers} are the holders that were told their subscription
 * succeeded and now receive its events.
 */
final class ChannelSubscribers {

    final Set<PusherConnection> holders = ConcurrentHashMap.newKeySet();
    final Set<PusherConnection> receivers = ConcurrentHashMap.newKeySet();
    /** The presence joins sent for holders, to announce them again if Redis loses the channel's presence. */
    final Map<PusherConnection, PresenceJoin> joins = new ConcurrentHashMap<>();
    /**
     * The holders waiting for the router's answer to their recovery request, with the presence
     * member list when the presence answer came first; the request, to ask again if Redis loses it.
     */
    final Map<PusherConnection, PendingRecovery> recoveries = new ConcurrentHashMap<>();
    /** Completes once the router has this gateway's interest in its shard stream. */
    final CompletableFuture<Void> interestRecorded;
    /** Offset of the last delivery passed on; only the inbox reader touches it. */
    StreamOffset lastDelivered;

    /** A recovery request on its way, and the member list of a presence channel once it came. */
    record PendingRecovery(RecoveryRequest request, String members) {
    }

    ChannelSubscribers(CompletableFuture<Void> interestRecorded) {
        this.interestRecorded = interestRecorded;
    }
}
