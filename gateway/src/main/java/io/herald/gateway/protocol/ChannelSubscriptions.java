package io.herald.gateway.protocol;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.herald.gateway.auth.ChannelAuthorization;
import io.herald.gateway.fanout.LocalSubscriptions;
import io.vertx.core.json.JsonObject;

/** Handles {@code pusher:subscribe} and {@code pusher:unsubscribe} for one connection. */
@ApplicationScoped
class ChannelSubscriptions {

    private static final Logger LOG = Logger.getLogger(ChannelSubscriptions.class);

    @Inject
    LocalSubscriptions subscriptions;

    void subscribe(PusherConnection connection, JsonObject data) {
        String channel = channelOf(connection, data);
        if (channel == null) {
            return;
        }
        if (ChannelNames.isPresence(channel)) {
            connection.send(Frames.subscriptionError(channel, "AuthError",
                    "Presence channels are not supported by this Herald version", 403));
            return;
        }
        if (ChannelNames.isPrivate(channel)) {
            Object auth = data.getValue("auth");
            String problem = ChannelAuthorization.problemWith(connection.app(), connection.socketId(), channel,
                    auth instanceof String text ? text : null, null);
            if (problem != null) {
                connection.send(Frames.subscriptionError(channel, "AuthError", problem, 401));
                return;
            }
        }
        if (!connection.channels().add(channel)) {
            connection.send(Frames.error(null, "Existing subscription to channel " + channel));
            return;
        }
        subscriptions.subscribe(connection, channel).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warnf("Subscription of %s to %s failed: %s", connection.socketId(), channel, failure.getMessage());
                connection.channels().remove(channel);
                subscriptions.unsubscribe(connection, channel);
                connection.send(Frames.subscriptionError(channel, "ServerError",
                        "The subscription could not be recorded; try again", 500));
            }
        });
    }

    void unsubscribe(PusherConnection connection, JsonObject data) {
        String channel = channelOf(connection, data);
        if (channel != null && connection.channels().remove(channel)) {
            subscriptions.unsubscribe(connection, channel);
        }
    }

    /** Unsubscribes a closed connection from everything. */
    void unsubscribeAll(PusherConnection connection) {
        for (String channel : connection.channels()) {
            subscriptions.unsubscribe(connection, channel);
        }
        connection.channels().clear();
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
