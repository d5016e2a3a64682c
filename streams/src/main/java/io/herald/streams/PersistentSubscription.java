package io.herald.streams;

/**
 * A backend subscribed a user to a channel on the server side ({@code subscribed}), or took the
 * subscription back. Travelling in the channel's shard stream, it reaches the channel's router in
 * channel order, like an interest change: every publication after it is copied to the user's
 * personal stream ({@code #server-to-user-{user}}), none before.
 *
 * @param userChannelRetention what the user's personal stream keeps of each copy, decided by the
 *     gateway from the app's offline rule when the subscription was made
 */
public record PersistentSubscription(String app, String channel, String userId, boolean subscribed,
        Retention userChannelRetention) implements ShardEntry {

    public PersistentSubscription {
        if (userChannelRetention == null) {
            userChannelRetention = Retention.NONE;
        }
    }
}
