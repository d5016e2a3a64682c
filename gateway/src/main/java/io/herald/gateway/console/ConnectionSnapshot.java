package io.herald.gateway.console;

import java.util.ArrayList;
import java.util.List;

import io.herald.gateway.protocol.ConnectionRow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One gateway's view of a watched app, as it leaves in Redis for whichever gateway serves the
 * console: its connections of the app (at most {@link #MAX_ROWS}; {@code count} has them all), and
 * its delivery counter with the time it was read, from which the console draws deliveries per
 * second without any work on the delivery path.
 *
 * @param deliveries the gateway's delivery counter (all apps) when the snapshot was taken
 * @param atMillis when the snapshot was taken, by the gateway's clock
 */
public record ConnectionSnapshot(String gateway, long atMillis, int count, long deliveries, List<ConnectionRow> rows) {

    /** Rows one gateway sends: a table longer than this is not read by a person anyway. */
    public static final int MAX_ROWS = 500;

    public ConnectionSnapshot {
        rows = List.copyOf(rows);
    }

    public String encode() {
        JsonArray connections = new JsonArray();
        for (ConnectionRow row : rows) {
            connections.add(new JsonObject()
                    .put("socket_id", row.socketId())
                    .put("user", row.user())
                    .put("address", row.address())
                    .put("channels", new JsonArray(new ArrayList<>(row.channels())))
                    .put("since", row.sinceMillis()));
        }
        return new JsonObject().put("gateway", gateway).put("at", atMillis).put("count", count)
                .put("deliveries", deliveries).put("connections", connections).encode();
    }

    /** @throws IllegalArgumentException when the text is not a snapshot */
    public static ConnectionSnapshot decode(String text) {
        try {
            JsonObject json = new JsonObject(text);
            List<ConnectionRow> rows = new ArrayList<>();
            for (Object item : json.getJsonArray("connections")) {
                JsonObject row = (JsonObject) item;
                List<String> channels = new ArrayList<>();
                row.getJsonArray("channels").forEach(channel -> channels.add((String) channel));
                rows.add(new ConnectionRow(row.getString("socket_id"), row.getString("user"), row.getString("address"),
                        channels, row.getLong("since")));
            }
            return new ConnectionSnapshot(json.getString("gateway"), json.getLong("at"), json.getInteger("count"),
                    json.getLong("deliveries"), rows);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Not a console snapshot: " + e.getMessage(), e);
        }
    }

    /** The snapshot as the browser gets it: each row names its gateway. */
    public JsonObject toBrowser() {
        JsonObject json = new JsonObject(encode());
        json.getJsonArray("connections").forEach(row -> ((JsonObject) row).put("gateway", gateway));
        return json;
    }
}
