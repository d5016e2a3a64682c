package io.herald.gateway.console;

import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.json.JsonObject;

/**
 * One line of the console's event log, as a flat map of strings for the app's console stream.
 * Event data is cut to {@link #MAX_DATA_CHARS}: the log is for reading, and the stream is capped
 * by entries, so its size stays bounded too.
 */
public final class ConsoleEntry {

    public static final String PUBLISH = "publish";
    public static final String CLIENT_EVENT = "client-event";
    public static final String CONNECT = "connect";
    public static final String DISCONNECT = "disconnect";
    public static final String SUBSCRIPTION_ERROR = "subscription-error";

    static final int MAX_DATA_CHARS = 1000;

    private final Map<String, String> fields = new LinkedHashMap<>();

    private ConsoleEntry(String type, String gateway, long atMillis) {
        fields.put("type", type);
        fields.put("gateway", gateway);
        fields.put("at", Long.toString(atMillis));
    }

    public static ConsoleEntry of(String type, String gateway, long atMillis) {
        return new ConsoleEntry(type, gateway, atMillis);
    }

    /** Adds a field unless its value is null; {@code data} is cut to its limit. */
    public ConsoleEntry with(String name, Object value) {
        if (value != null) {
            String text = value.toString();
            if (name.equals("data") && text.length() > MAX_DATA_CHARS) {
                text = text.substring(0, MAX_DATA_CHARS) + "\u2026";
            }
            fields.put(name, text);
        }
        return this;
    }

    public Map<String, String> fields() {
        return Map.copyOf(fields);
    }

    /** A stream entry as the browser gets it: its fields and its id. */
    static JsonObject toBrowser(String id, Map<String, String> fields) {
        JsonObject json = new JsonObject().put("id", id);
        fields.forEach(json::put);
        return json;
    }
}
