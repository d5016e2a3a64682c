package io.herald.recovery.pusher;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;

/**
 * Gap-free recovery for an unmodified pusher-java-client, against Herald: every time the client
 * (re)subscribes to a channel it asks for the events missed since the last position it saw there,
 * and Herald sends them before the live ones, or tells it (through a {@link RecoveryListener}
 * and a {@code herald:recovery_failed} event) that they are gone. The app uses {@link #pusher()}
 * exactly as any {@code Pusher}.
 *
 * <p>With a device id ({@link Builder#device}), the client also gets at each sign-in what was sent
 * to its user while it was away and not acknowledged yet, and acknowledges what it received.
 *
 * <p>Why a helper builds the {@code Pusher} rather than wrapping one: the hook into the client's
 * frames has to be in place before it connects (see {@link PusherConstructor}).
 */
public final class HeraldRecovery {

    private final ChannelPositions positions;
    private final List<RecoveryListener> listeners = new CopyOnWriteArrayList<>();
    private final RecoveringFactory factory;
    private final Pusher pusher;

    private HeraldRecovery(Builder builder) {
        positions = new ChannelPositions(builder.device.isPresent());
        factory = new RecoveringFactory(positions, this::report, builder.device, builder.autoAck);
        pusher = PusherConstructor.withFactory(builder.apiKey, builder.options, factory);
    }

    /** A {@code Pusher} for the app key, as {@code new Pusher(apiKey, options)} builds it, that recovers. */
    public static HeraldRecovery create(String apiKey, PusherOptions options) {
        return builder(apiKey, options).build();
    }

    /** For a helper with a device id: {@code builder(apiKey, options).device(id).build()}. */
    public static Builder builder(String apiKey, PusherOptions options) {
        return new Builder(apiKey, options);
    }

    /** What {@link #create} takes, and the device options. */
    public static final class Builder {

        private final String apiKey;
        private final PusherOptions options;
        private Optional<DeviceSignin> device = Optional.empty();
        private boolean autoAck = true;

        private Builder(String apiKey, PusherOptions options) {
            this.apiKey = apiKey;
            this.options = options;
        }

        /**
         * This device's id, sent with every sign-in as {@code herald_device}: 1 to 128 characters
         * of {@code A-Za-z0-9_.:-}, stable across restarts (keep it in the app's storage), one per
         * app install, never shared by two devices. Not a secret.
         *
         * @throws IllegalArgumentException for an id Herald would refuse
         */
        public Builder device(String id) {
            this.device = Optional.of(new DeviceSignin(id));
            return this;
        }

        /**
         * Whether every event on the user's channel is acknowledged once the client handed it to
         * its listeners (the default); {@code false} leaves it to {@link HeraldRecovery#ack}.
         */
        public Builder autoAck(boolean autoAck) {
            this.autoAck = autoAck;
            return this;
        }

        public HeraldRecovery build() {
            return new HeraldRecovery(this);
        }
    }

    /** The client, to connect, subscribe and bind as usual. */
    public Pusher pusher() {
        return pusher;
    }

    /**
     * The last position received on a subscribed channel: that of its last event, or where the
     * channel stood when its subscription succeeded. Empty before then, after an unsubscribe, and
     * against a server that does not stamp positions.
     */
    public Optional<Position> position(String channel) {
        return positions.position(channel);
    }

    /**
     * Makes the channel's next subscribe ask for the events after {@code position}: one the app
     * kept with its data (see {@link Position#of}) before a restart, which the helper cannot know.
     * Call it before subscribing.
     */
    public void resumeFrom(String channel, Position position) {
        positions.resumeFrom(channel, position);
    }

    /**
     * Acknowledges the user's channel ({@code #server-to-user-{id}}) up to {@code position}, that
     * of an event the app has processed ({@link Position#of}): the device's next sign-in starts
     * after it. Sent within 250 ms, coalesced with the other acks (the latest position wins), on
     * the connection signed in with the device; while disconnected, after the next sign-in. For
     * apps that acknowledge after their own processing, with {@code autoAck(false)}.
     *
     * @throws IllegalStateException without a device id
     * @throws IllegalArgumentException for a channel other than a user's
     */
    public void ack(String channel, Position position) {
        DeviceAcks acks = factory.acks().orElseThrow(() -> new IllegalStateException(
                "ack needs a device id: HeraldRecovery.builder(apiKey, options).device(id)"));
        if (channel == null || !channel.startsWith(DeviceAcks.USER_CHANNEL)) {
            throw new IllegalArgumentException("ack takes the user's channel, " + DeviceAcks.USER_CHANNEL + "{id}, was " + channel);
        }
        acks.request(channel, Objects.requireNonNull(position, "position"));
    }

    public void addListener(RecoveryListener listener) {
        listeners.add(listener);
    }

    public void removeListener(RecoveryListener listener) {
        listeners.remove(listener);
    }

    // On the client's event thread, queued as the answer arrives: before the client has handled it.
    private void report(ChannelPositions.Outcome outcome) {
        factory.queueOnEventThread(() -> {
            for (RecoveryListener listener : listeners) {
                if (outcome.recovered()) {
                    listener.onRecovered(outcome.channel(), outcome.from());
                } else {
                    listener.onRecoveryFailed(outcome.channel(), outcome.from(), outcome.current());
                }
            }
        });
    }
}
