package io.herald.gateway.history;

import io.vertx.core.json.JsonObject;

/**
 * One event of a channel's history at its position, as the REST history read answers it.
 *
 * @param userId the presence member who sent a client event; null when the event has none
 */
public record HistoryEvent(String epoch, long offset, String event, String data, String userId) {

    JsonObject toJson() {
        JsonObject json = new JsonObject().put("event", event).put("data", data).put("offset", offset).put("epoch", epoch);
        if (userId != null) {
            json.put("user_id", userId);
        }
        return json;
    }
}
