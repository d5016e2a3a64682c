package io.herald.recovery.pusher;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The last position seen on each subscribed channel, kept from the frames that pass between a
 * pusher-java-client and Herald: outgoing {@code pusher:subscribe} frames get
 * {@code herald_recover} added ({@code {}} until the channel has a position), incoming frames
 * move the channel's position, and a {@code subscription_succeeded} answering a recovery yields
 * its outcome. Pure, so it is tested without a socket; synchronized, since frames go out on the
 * client's event thread and come in on its socket's thread.
 */
final class ChannelPositions {

    private static final String SUBSCRIBE = "pusher:subscribe";
    private static final String UNSUBSCRIBE = "pusher:unsubscribe";
    private static final String SUBSCRIPTION_SUCCEEDED = "pusher_internal:subscription_succeeded";
    private static final String RECOVER = "herald_recover";
    private static final String HERALD = "herald";

    /** A subscribed channel: its last position, if any, and what its pending subscribe asked to recover from. */
    private record Tracked(Optional<Position> position, Optional<Position> askedFrom) {
    }

    /**
     * How a resubscription that asked to recover from {@code from} ended.
     *
     * @param current where the channel stood when Herald answered
     */
    record Outcome(String channel, Position from, Position current, boolean recovered) {
    }

    private final Map<String, Tracked> channels = new HashMap<>();
    private final boolean signsInWithDevice;

    /**
     * @param signsInWithDevice whether the client signs in with a device id, so that Herald
     *        recovers its user channel from what the device acknowledged
     */
    ChannelPositions(boolean signsInWithDevice) {
        this.signsInWithDevice = signsInWithDevice;
    }

    /** The last position seen on a subscribed channel. */
    synchronized Optional<Position> position(String channel) {
        Tracked tracked = channels.get(channel);
        return tracked == null ? Optional.empty() : tracked.position();
    }

    /** Makes the channel's next subscribe ask for the events after {@code position}. */
    synchronized void resumeFrom(String channel, Position position) {
        channels.put(channel, new Tracked(Optional.of(position), Optional.empty()));
    }

    /**
     * The frame to send instead of {@code frame}: a subscribe asks to recover from the channel's
     * last position, an unsubscribe forgets the channel, anything else goes as it is.
     */
    synchronized String outgoing(String frame) {
        if (!frame.contains(SUBSCRIBE) && !frame.contains(UNSUBSCRIBE)) {
            return frame;
        }
        Optional<JsonObject> parsed = Json.parse(frame);
        if (parsed.isEmpty()) {
            return frame;
        }
        JsonObject message = parsed.get();
        String event = Json.string(message.get("event"));
        JsonElement data = message.get("data");
        if (data == null || !data.isJsonObject() || Json.string(data.getAsJsonObject().get("channel")) == null) {
            return frame;
        }
        String channel = Json.string(data.getAsJsonObject().get("channel"));
        if (UNSUBSCRIBE.equals(event)) {
            channels.remove(channel);
            return frame;
        }
        if (!SUBSCRIBE.equals(event)) {
            return frame;
        }
        Optional<Position> from = position(channel);
        channels.put(channel, new Tracked(from, from));
        data.getAsJsonObject().add(RECOVER, from.map(Position::toJson).orElseGet(JsonObject::new));
        return Json.GSON.toJson(message);
    }

    /**
     * Moves the position of the frame's channel, and returns the outcome when the frame answers a
     * subscription that asked to recover from a position.
     */
    synchronized Optional<Outcome> incoming(String frame) {
        if (!frame.contains("\"" + HERALD + "\"")) {
            return Optional.empty();
        }
        Optional<JsonObject> parsed = Json.parse(frame);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        JsonObject message = parsed.get();
        String channel = Json.string(message.get("channel"));
        Optional<Position> stamped = Position.from(message.get(HERALD));
        if (channel == null || stamped.isEmpty() || !channels.containsKey(channel)) {
            return Optional.empty();
        }
        if (SUBSCRIPTION_SUCCEEDED.equals(Json.string(message.get("event")))) {
            return answered(channel, stamped.get(), recovered(message.get(HERALD)));
        }
        channels.put(channel, new Tracked(stamped, channels.get(channel).askedFrom()));
        return Optional.empty();
    }

    /**
     * A recovered subscription keeps the position it asked from, since the missed events that
     * follow move it; a fresh one starts at the channel's current position, a failed one too. A
     * device's user channel is recovered from what the device acknowledged, which may be behind
     * the current position: it keeps its position too, and the events that follow move it.
     */
    private Optional<Outcome> answered(String channel, Position current, boolean recovered) {
        Tracked before = channels.get(channel);
        Optional<Position> asked = before.askedFrom();
        boolean fromAcknowledged = signsInWithDevice && channel.startsWith(DeviceAcks.USER_CHANNEL);
        Optional<Position> next = recovered && (asked.isPresent() || fromAcknowledged) ? before.position() : Optional.of(current);
        channels.put(channel, new Tracked(next, Optional.empty()));
        return asked.map(from -> new Outcome(channel, from, current, recovered));
    }

    /** Only an explicit {@code false} is a failure: Herald always sends the flag, and a missing one promises nothing worse. */
    private static boolean recovered(JsonElement herald) {
        JsonElement recovered = herald.getAsJsonObject().get("recovered");
        return !(recovered != null && recovered.isJsonPrimitive() && recovered.getAsJsonPrimitive().isBoolean() && !recovered.getAsBoolean());
    }
}
