package io.herald.gateway.protocol;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.herald.gateway.GatewayConfig;
import io.herald.gateway.apps.App;
import io.herald.streams.UserChannels;

/**
 * What one connection may subscribe: at most {@code herald.limits.max-channels-per-connection}
 * channels (128, Centrifugo's client limit) and {@code herald.limits.subscribes-per-second} new
 * subscriptions per second (10) once a burst as large as the channel cap is spent. Every channel
 * costs the cluster Redis keys and shard writes, and anyone holding the public key could otherwise
 * create them without bound. The burst lets a reconnecting client resubscribe everything it may
 * hold at once, as pusher-js does. An app's own limits replace the defaults. Herald's internal
 * {@code #user-} channel does not count. A subscription refused for the cap takes nothing from
 * the rate: it costs nothing. A refusal is a {@code pusher:subscription_error} on the channel;
 * the connection stays, with its other channels.
 */
@Singleton
public class SubscribeLimits {

    /** The {@code status} of a subscription refused because the connection holds its channel cap. */
    static final int TOO_MANY_CHANNELS = 4303;
    /** The {@code status} of a subscription refused because the connection subscribes too fast. */
    static final int TOO_MANY_SUBSCRIBES = 4304;

    @Inject
    GatewayConfig config;

    /** @return the {@code pusher:subscription_error} frame refusing the subscription, or null when it may go ahead */
    String refusal(PusherConnection connection, String channel, long nowMillis) {
        int channelCap = maxChannels(connection.app());
        int rate = perSecond(connection.app());
        if (!connection.channels().contains(channel) && clientChannels(connection) >= channelCap) {
            return Frames.subscriptionError(channel, "LimitReached", "Channel limit reached: a connection may hold "
                    + channelCap + " channels; unsubscribe from one first", TOO_MANY_CHANNELS);
        }
        if (!connection.subscribeRate().tryAcquire(nowMillis, rate, channelCap)) {
            return Frames.subscriptionError(channel, "LimitReached", "Subscribe rate limit of " + rate
                    + " per second exceeded (after a burst of " + channelCap + "); retry later", TOO_MANY_SUBSCRIBES);
        }
        return null;
    }

    int maxChannels(App app) {
        return app.maxChannelsPerConnection() > 0 ? app.maxChannelsPerConnection() : config.limits().maxChannelsPerConnection();
    }

    int perSecond(App app) {
        return app.subscribesPerSecond() > 0 ? app.subscribesPerSecond() : config.limits().subscribesPerSecond();
    }

    private static long clientChannels(PusherConnection connection) {
        return connection.channels().stream().filter(channel -> !UserChannels.isUserChannel(channel)).count();
    }
}
