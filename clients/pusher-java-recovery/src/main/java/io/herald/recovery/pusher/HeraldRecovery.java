package io.herald.recovery.pusher;

import java.util.List;
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
 * <p>Why a helper builds the {@code Pusher} rather than wrapping one: the hook into the client's
 * frames has to be in place before it connects (see {@link PusherConstructor}).
 */
public final class HeraldRecovery {

    private final ChannelPositions positions = new ChannelPositions();
    private final List<RecoveryListener> listeners = new CopyOnWriteArrayList<>();
    private final RecoveringFactory factory = new RecoveringFactory(positions, this::report);
    private final Pusher pusher;

    private HeraldRecovery(String apiKey, PusherOptions options) {
        pusher = PusherConstructor.withFactory(apiKey, options, factory);
    }

    /** A {@code Pusher} for the app key, as {@code new Pusher(apiKey, options)} builds it, that recovers. */
    public static HeraldRecovery create(String apiKey, PusherOptions options) {
        return new HeraldRecovery(apiKey, options);
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
