package io.herald.recovery.pusher;

import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.google.gson.JsonObject;

/**
 * Acknowledges the user's channel ({@code herald:ack}), so that the device's next sign-in gets
 * only what it has not processed yet (docs/protocol.md, "Offline delivery"). Herald writes acks
 * in 250 ms batches, so more than one per 250 ms would only cost frames: the latest position
 * waits, and one timer task at a time (on the client's own timer thread) sends it. An ack goes
 * out on the client's event thread, after the frames it covers were handed to the app's
 * listeners, and only on a socket whose user channel subscription succeeded: one that could not
 * go out waits for the next sign-in. Automatic acks cover every stamped frame on the user
 * channel, {@code herald:recovery_failed} included (it carries the channel's current position),
 * which moves the device past what was lost.
 */
final class DeviceAcks {

    static final String USER_CHANNEL = "#server-to-user-";
    static final long INTERVAL_MILLIS = 250;
    private static final String SUBSCRIPTION_SUCCEEDED = "pusher_internal:subscription_succeeded";

    /** The socket the user's channel was subscribed on. */
    interface Link {

        /** Sends the frame as it is; false when the socket is no longer open. */
        boolean sendAck(String frame);
    }

    private record Ack(String channel, Position position) {

        String frame() {
            JsonObject data = position.toJson();
            data.addProperty("channel", channel);
            JsonObject frame = new JsonObject();
            frame.addProperty("event", "herald:ack");
            frame.add("data", data);
            return Json.GSON.toJson(frame);
        }
    }

    private final boolean automatic;
    private final Supplier<ScheduledExecutorService> timers;
    private final Consumer<Runnable> eventThread;

    private Ack pending;
    // A timer task or a send is on its way: there is one at a time.
    private boolean scheduled;
    private long lastSentNanos;
    private boolean sentBefore;
    private Link link;
    private String linkedChannel;

    /**
     * @param automatic whether every stamped frame of the user channel is acknowledged once handed to the app
     * @param timers where the coalescing waits (the client's own timers, which it may replace after a disconnect)
     * @param eventThread runs a task after the frames the client queued so far
     */
    DeviceAcks(boolean automatic, Supplier<ScheduledExecutorService> timers, Consumer<Runnable> eventThread) {
        this.automatic = automatic;
        this.timers = timers;
        this.eventThread = eventThread;
    }

    /** A frame that arrived on {@code from}, once the client queued it for its listeners. */
    void incoming(String frame, Link from) {
        if (!frame.contains(USER_CHANNEL)) {
            return;
        }
        Optional<JsonObject> parsed = Json.parse(frame);
        String channel = parsed.map(message -> Json.string(message.get("channel"))).orElse(null);
        if (channel == null || !channel.startsWith(USER_CHANNEL)) {
            return;
        }
        if (SUBSCRIPTION_SUCCEEDED.equals(Json.string(parsed.get().get("event")))) {
            subscribed(from, channel);
        } else if (automatic) {
            Position.from(parsed.get().get("herald")).ifPresent(position -> request(channel, position));
        }
    }

    /** The socket closed: what is pending waits for the user channel on the next one. */
    synchronized void closed(Link from) {
        if (link == from) {
            link = null;
            linkedChannel = null;
        }
    }

    /** Acknowledges the user channel up to {@code position}, replacing any ack not sent yet. */
    synchronized void request(String channel, Position position) {
        pending = new Ack(channel, position);
        schedule();
    }

    private synchronized void subscribed(Link on, String channel) {
        link = on;
        linkedChannel = channel;
        schedule();
    }

    private void schedule() {
        if (pending == null || scheduled || link == null || !pending.channel().equals(linkedChannel)) {
            return;
        }
        long wait = sentBefore ? Math.max(0, lastSentNanos + TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS) - System.nanoTime()) : 0;
        try {
            timers.get().schedule(this::due, wait, TimeUnit.NANOSECONDS);
            scheduled = true;
        } catch (RejectedExecutionException e) {
            // The client is shutting its threads down as it disconnects; the next sign-in schedules again.
        }
    }

    // On the timer thread. The ack is taken now: the frames it covers are already queued on the event thread.
    private void due() {
        Ack ack;
        Link on;
        synchronized (this) {
            ack = pending;
            on = link;
            if (ack == null || on == null) {
                scheduled = false;
                return;
            }
        }
        try {
            eventThread.accept(() -> send(ack, on));
        } catch (RejectedExecutionException e) {
            // As in schedule: the next sign-in schedules again.
            synchronized (this) {
                scheduled = false;
            }
        }
    }

    private synchronized void send(Ack ack, Link on) {
        scheduled = false;
        if (on == link && ack.channel().equals(linkedChannel)) {
            boolean sent = on.sendAck(ack.frame());
            // An attempt counts, so a socket closing under it is retried at the same pace, not in a
            // loop; timed once it returned, so the socket never sees two acks closer than the interval.
            lastSentNanos = System.nanoTime();
            sentBefore = true;
            if (sent && pending == ack) {
                pending = null;
            }
        }
        schedule();
    }
}
