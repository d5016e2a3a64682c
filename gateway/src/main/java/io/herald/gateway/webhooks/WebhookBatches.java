package io.herald.gateway.webhooks;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.herald.gateway.apps.App;
import io.herald.gateway.apps.Webhook;
import io.herald.streams.WebhookFact;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Turns facts read together into Pusher's batches: per app and webhook URL, one body
 * {@code {"time_ms":..,"events":[..]}} with each fact that one of the app's webhooks at that URL
 * wants, once, in stream order. Facts of apps that are gone or want none of them make no request.
 */
final class WebhookBatches {

    private WebhookBatches() {
    }

    static List<WebhookRequest> of(List<WebhookFact> facts, Function<String, Optional<App>> apps, long timeMillis) {
        Map<String, App> appById = new LinkedHashMap<>();
        Map<String, Map<URI, JsonArray>> eventsByUrlByApp = new LinkedHashMap<>();
        for (WebhookFact fact : facts) {
            Optional<App> app = apps.apply(fact.app());
            if (app.isEmpty()) {
                continue;
            }
            Set<URI> urls = new LinkedHashSet<>();
            for (Webhook webhook : app.get().webhooks()) {
                if (webhook.wants(fact.name(), fact.channel())) {
                    urls.add(webhook.url());
                }
            }
            for (URI url : urls) {
                appById.put(fact.app(), app.get());
                eventsByUrlByApp.computeIfAbsent(fact.app(), id -> new LinkedHashMap<>())
                        .computeIfAbsent(url, u -> new JsonArray()).add(event(fact));
            }
        }
        List<WebhookRequest> requests = new ArrayList<>();
        eventsByUrlByApp.forEach((appId, byUrl) -> byUrl.forEach((url, events) -> requests.add(new WebhookRequest(
                appById.get(appId), url, new JsonObject().put("time_ms", timeMillis).put("events", events).encode(),
                events.size()))));
        return requests;
    }

    /** One event as Pusher sends it: name and channel, plus the fields of its type. */
    static JsonObject event(WebhookFact fact) {
        JsonObject event = new JsonObject().put("name", fact.name()).put("channel", fact.channel());
        if (fact.event() != null) {
            event.put("event", fact.event());
        }
        if (fact.data() != null) {
            event.put("data", fact.data());
        }
        if (fact.socketId() != null) {
            event.put("socket_id", fact.socketId());
        }
        if (fact.userId() != null) {
            event.put("user_id", fact.userId());
        }
        if (fact.subscriptionCount() != null) {
            event.put("subscription_count", fact.subscriptionCount());
        }
        return event;
    }
}
