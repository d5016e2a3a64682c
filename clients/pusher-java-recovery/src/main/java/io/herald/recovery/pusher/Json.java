package io.herald.recovery.pusher;

import java.util.Optional;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Reading and writing the frames the helper rewrites or reads, one way for every class: a frame
 * that is not a JSON object is left alone rather than failing the client's socket.
 */
final class Json {

    // Escaping would rewrite the characters of auth and channel_data strings; Herald reads JSON, not bytes, but keep them as sent.
    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private Json() {
    }

    static Optional<JsonObject> parse(String frame) {
        try {
            JsonElement element = JsonParser.parseString(frame);
            return element.isJsonObject() ? Optional.of(element.getAsJsonObject()) : Optional.empty();
        } catch (JsonParseException e) {
            return Optional.empty();
        }
    }

    static String string(JsonElement element) {
        return element != null && element.isJsonPrimitive() && element.getAsJsonPrimitive().isString() ? element.getAsString() : null;
    }
}
