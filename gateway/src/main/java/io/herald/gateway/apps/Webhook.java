package io.herald.gateway.apps;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.herald.streams.WebhookFact;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One of an app's webhooks, as Pusher configures them: where to POST, which event types, and
 * (Herald's addition) only channels whose names start with a prefix.
 *
 * @param eventTypes Pusher's names ({@code channel_occupied}, ...); empty for all of them
 * @param channelPrefix only channels whose names start with it; "" for every channel
 */
public record Webhook(URI url, Set<String> eventTypes, String channelPrefix) {

    public Webhook {
        eventTypes = Set.copyOf(eventTypes);
        channelPrefix = channelPrefix == null ? "" : channelPrefix;
    }

    public boolean wants(String eventType, String channel) {
        return (eventTypes.isEmpty() || eventTypes.contains(eventType)) && channel.startsWith(channelPrefix);
    }

    /**
     * Reads {@code [{"url","eventTypes":[..],"channelPrefix"}]}; null for none.
     *
     * @throws IllegalArgumentException naming the first webhook whose URL is not an absolute http(s)
     *     URL or whose event type Herald does not know
     */
    public static List<Webhook> parseAll(JsonArray json) {
        List<Webhook> webhooks = new ArrayList<>();
        if (json == null) {
            return webhooks;
        }
        for (Object item : json) {
            if (!(item instanceof JsonObject hook)) {
                throw new IllegalArgumentException("webhooks must be objects {\"url\",\"eventTypes\",\"channelPrefix\"}, found " + item);
            }
            Set<String> types = new TreeSet<>();
            for (Object type : hook.getJsonArray("eventTypes", new JsonArray())) {
                if (!WebhookFact.NAMES.contains(type)) {
                    throw new IllegalArgumentException("unknown webhook event type '" + type + "': known are "
                            + new TreeSet<>(WebhookFact.NAMES));
                }
                types.add((String) type);
            }
            webhooks.add(new Webhook(httpUrl(hook.getString("url")), types, hook.getString("channelPrefix", "")));
        }
        return webhooks;
    }

    private static URI httpUrl(String url) {
        try {
            URI uri = new URI(url == null ? "" : url);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("a webhook url must be an absolute http:// or https:// URL, was '" + url + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("a webhook url must be an absolute http:// or https:// URL, was '" + url + "'", e);
        }
    }
}
