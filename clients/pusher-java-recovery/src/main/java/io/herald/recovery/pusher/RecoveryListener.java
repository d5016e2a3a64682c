package io.herald.recovery.pusher;

/**
 * What became of a resubscription that asked Herald for the events missed since a position.
 * Called on pusher-java-client's event thread, before the channel's own
 * {@code onSubscriptionSucceeded} and before any event that follows the subscription.
 */
public interface RecoveryListener {

    /**
     * Herald has every event after {@code from} and sends them next, in order, before the live
     * ones: the channel's listeners see no gap and no duplicate.
     */
    default void onRecovered(String channel, Position from) {
    }

    /**
     * Events after {@code from} were missed and are no longer in the channel's history (or the
     * epoch changed): the app should reload its state. {@code current} is where the channel stands
     * now; the helper recovers from there next time. The channel also receives a
     * {@code herald:recovery_failed} event, which apps may bind instead.
     */
    default void onRecoveryFailed(String channel, Position from, Position current) {
    }
}
