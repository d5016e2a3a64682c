package io.herald.recovery.pusher;

import java.util.Objects;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSyntaxException;
import com.pusher.client.channel.PusherEvent;

/**
 * An event's place in its channel, as Herald stamps it on delivered frames ({@code "herald"}):
 * offsets grow by one per event within an epoch, and a new epoch means the channel's history was
 * lost, so offsets of different epochs cannot be compared.
 *
 * @param epoch the channel's current history, a short opaque string
 * @param offset the event's number in that epoch, 1 for the first
 */
public record Position(String epoch, long offset) {

    public Position {
        Objects.requireNonNull(epoch, "epoch");
        if (offset < 0) {
            throw new IllegalArgumentException("a position's offset is never negative, was " + offset);
        }
    }

    /**
     * The position Herald stamped on an event, for apps that keep it with what they store.
     * pusher-java-client's {@code getProperty} knows only the standard fields, but the event keeps
     * the whole frame, which {@link PusherEvent#toJson()} returns.
     */
    public static Optional<Position> of(PusherEvent event) {
        try {
            JsonElement frame = JsonParser.parseString(event.toJson());
            return frame.isJsonObject() ? from(frame.getAsJsonObject().get("herald")) : Optional.empty();
        } catch (JsonSyntaxException e) {
            return Optional.empty();
        }
    }

    /** Reads {@code {"epoch":"..","offset":N}}; anything else is no position. */
    static Optional<Position> from(JsonElement herald) {
        if (herald == null || !herald.isJsonObject()) {
            return Optional.empty();
        }
        JsonObject fields = herald.getAsJsonObject();
        if (!isString(fields.get("epoch")) || !isWholeNumber(fields.get("offset"))) {
            return Optional.empty();
        }
        return Optional.of(new Position(fields.get("epoch").getAsString(), fields.get("offset").getAsLong()));
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("epoch", epoch);
        json.addProperty("offset", offset);
        return json;
    }

    private static boolean isString(JsonElement element) {
        return element != null && element.isJsonPrimitive() && element.getAsJsonPrimitive().isString();
    }

    private static boolean isWholeNumber(JsonElement element) {
        if (element == null || !element.isJsonPrimitive() || !element.getAsJsonPrimitive().isNumber()) {
            return false;
        }
        JsonPrimitive number = element.getAsJsonPrimitive();
        double value = number.getAsDouble();
        return value >= 0 && value == Math.rint(value);
    }
}
