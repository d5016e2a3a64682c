package io.herald.gateway.protocol;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.herald.gateway.auth.ChannelAuthorization;
import io.herald.gateway.console.ConsoleFeed;
import io.herald.gateway.devices.DeviceRecords;
import io.herald.gateway.fanout.LocalSubscriptions;
import io.vertx.core.json.JsonObject;

/** Handles {@code pusher:subscribe} and {@code pusher:unsubscribe} for one connection. */
@ApplicationScoped
class ChannelSubscriptions {

    private static final Logger LOG = Logger.getLogger(ChannelSubscriptions.class);

    @Inject
    LocalSubscriptions subscriptions;

    @Inject
    SubscribeLimits limits;

    @Inject
    DeviceRecords devices;

    @Inject
    ConsoleFeed console;

    void subscribe(PusherConnection connection, JsonObject data) {
        boolean serverToUser = data != null && data.getValue("channel") instanceof String name
                && name.startsWith(ChannelNames.SERVER_TO_USER_PREFIX);
        String named = serverToUser ? data.getString("channel") : channelOf(connection, data);
        if (named == null) {
            return;
        }
        // One instance per channel name: every subscriber keeps it for as long as it stays subscribed.
        String channel = named.intern();
        RecoveryAsk recovery = RecoveryAsk.of(data);
        if (recovery.problem() != null) {
            refuse(connection, Frames.subscriptionError(channel, "InvalidRecovery", recovery.problem(), 400));
            return;
        }
        String refusal = limits.refusal(connection, channel, System.currentTimeMillis());
        if (refusal != null) {
            refuse(connection, refusal);
            return;
        }
        if (serverToUser) {
            subscribeServerToUser(connection, channel, recovery);
            return;
        }
        if (ChannelNames.isPresence(channel)) {
            subscribePresence(connection, channel, data, recovery);
            return;
        }
        if (ChannelNames.isPrivate(channel) && !authorized(connection, channel, data, null)) {
            return;
        }
        if (!connection.channels().add(channel)) {
            connection.send(Frames.error(null, "Existing subscription to channel " + channel));
            return;
        }
        subscribe(connection, channel, recovery);
    }

    private void subscribe(PusherConnection connection, String channel, RecoveryAsk recovery) {
        (recovery.asked() ? subscriptions.subscribeRecovering(connection, channel, recovery.since())
                : subscriptions.subscribe(connection, channel))
                .whenComplete((ignored, failure) -> failed(connection, channel, failure));
    }

    /** What pusher-js subscribes to after signing in: allowed only for the user it signed in as. */
    private void subscribeServerToUser(PusherConnection connection, String channel, RecoveryAsk recovery) {
        String user = connection.signedInUser();
        if (user == null || !channel.equals(ChannelNames.SERVER_TO_USER_PREFIX + user)) {
            refuse(connection, Frames.subscriptionError(channel, "AuthError",
                    "Only a connection signed in as that user may subscribe to " + channel, 403));
            return;
        }
        if (!connection.channels().add(channel)) {
            return;
        }
        if (connection.device() == null) {
            subscribe(connection, channel, recovery);
            return;
        }
        // A device gets what it missed since its last acknowledgement, whatever the client asked.
        devices.signinStart(connection.app(), user, connection.device(), channel, recovery.since())
                .whenComplete((since, failure) -> {
                    if (failure != null) {
                        failed(connection, channel, failure);
                    } else if (connection.channels().contains(channel)) {
                        subscribe(connection, channel, new RecoveryAsk(true, since, null));
                        // Closed meanwhile: its unsubscribe may have run before this subscribe held the channel.
                        if (!connection.channels().contains(channel)) {
                            subscriptions.unsubscribe(connection, channel);
                        }
                    }
                });
    }

    /**
     * Presence: the auth signs {@code socket_id:channel:channel_data}, over channel_data exactly as
     * received. A signed-in connection may leave channel_data out: the auth then signs
     * {@code socket_id:channel} and the member is the signed-in user, as pusher-js expects.
     */
    private void subscribePresence(PusherConnection connection, String channel, JsonObject data, RecoveryAsk recovery) {
        String rawChannelData = data.getValue("channel_data") instanceof String text ? text : null;
        if (rawChannelData == null && connection.signedInUser() == null) {
            refuse(connection, Frames.subscriptionError(channel, "AuthError",
                    "Subscribing to " + channel + " needs channel_data, a JSON string naming the user, or a sign-in", 401));
            return;
        }
        if (!authorized(connection, channel, data, rawChannelData)) {
            return;
        }
        PresenceMember member;
        try {
            member = rawChannelData != null ? PresenceMember.parse(rawChannelData)
                    : new PresenceMember(connection.signedInUser(), connection.signedInUserInfo());
        } catch (IllegalArgumentException e) {
            refuse(connection, Frames.subscriptionError(channel, "InvalidChannelData", e.getMessage(), 400));
            return;
        }
        if (!connection.channels().add(channel)) {
            connection.send(Frames.error(null, "Existing subscription to channel " + channel));
            return;
        }
        connection.joinedPresence(channel, member.userId());
        (recovery.asked()
                ? subscriptions.subscribePresenceRecovering(connection, channel, member.userId(), member.userInfo(),
                        recovery.since())
                : subscriptions.subscribePresence(connection, channel, member.userId(), member.userInfo()))
                .whenComplete((ignored, failure) -> failed(connection, channel, failure));
    }

    /** Checks the subscription's auth signature; a wrong one is refused on the channel with 401. */
    private boolean authorized(PusherConnection connection, String channel, JsonObject data, String channelData) {
        Object auth = data.getValue("auth");
        String problem = ChannelAuthorization.problemWith(connection.app(), connection.socketId(), channel,
                auth instanceof String text ? text : null, channelData);
        if (problem != null) {
            refuse(connection, Frames.subscriptionError(channel, "AuthError", problem, 401));
            return false;
        }
        return true;
    }

    /** Sends a {@code pusher:subscription_error} frame; the console's log shows it too. */
    private void refuse(PusherConnection connection, String frame) {
        connection.send(frame);
        console.subscriptionRefused(connection.app().id(), connection.socketId(), frame);
    }

    private void failed(PusherConnection connection, String channel, Throwable failure) {
        if (failure == null) {
            return;
        }
        LOG.warnf("Subscription of %s to %s failed: %s", connection.socketId(), channel, failure.getMessage());
        leave(connection, channel);
        refuse(connection, Frames.subscriptionError(channel, "ServerError", "The subscription could not be recorded; try again", 500));
    }

    void unsubscribe(PusherConnection connection, JsonObject data) {
        String channel = data != null && data.getValue("channel") instanceof String name
                && name.startsWith(ChannelNames.SERVER_TO_USER_PREFIX) ? name : channelOf(connection, data);
        if (channel != null && connection.channels().contains(channel)) {
            leave(connection, channel);
        }
    }

    /** Unsubscribes a closed connection from everything. */
    void unsubscribeAll(PusherConnection connection) {
        for (String channel : connection.channels()) {
            leave(connection, channel);
        }
    }

    private void leave(PusherConnection connection, String channel) {
        connection.channels().remove(channel);
        subscriptions.leavePresence(connection, channel);
        subscriptions.unsubscribe(connection, channel);
    }

    private static String channelOf(PusherConnection connection, JsonObject data) {
        Object channel = data == null ? null : data.getValue("channel");
        String problem = channel instanceof String name ? ChannelNames.problemWith(name) : "'data.channel' must be a string";
        if (problem != null) {
            connection.send(Frames.error(null, problem));
            return null;
        }
        return (String) channel;
    }
}
