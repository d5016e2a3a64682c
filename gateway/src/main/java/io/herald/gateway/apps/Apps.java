package io.herald.gateway.apps;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A validated, immutable set of apps, found by key or by id. The registry swaps whole sets, so a
 * lookup never sees half of a change.
 */
public final class Apps {

    private final Map<String, App> byKey;
    private final Map<String, App> byId;

    private Apps(Map<String, App> byKey, Map<String, App> byId) {
        this.byKey = byKey;
        this.byId = byId;
    }

    /** @throws IllegalArgumentException naming the first app that is invalid or shares an id or key with another */
    public static Apps of(List<App> apps) {
        Map<String, App> byKey = new HashMap<>();
        Map<String, App> byId = new HashMap<>();
        for (App app : apps) {
            validate(app);
            if (byId.putIfAbsent(app.id(), app) != null || byKey.putIfAbsent(app.key(), app) != null) {
                throw new IllegalArgumentException("Two apps share the id or key of " + app);
            }
        }
        return new Apps(Map.copyOf(byKey), Map.copyOf(byId));
    }

    /**
     * Reads {@code [{"id","key","secret","clientEvents","userAuthentication","maxConnections",
     * "maxChannelsPerConnection","subscribesPerSecond","history","archive","offline","webhooks","subscriptionCount"}]} (see
     * {@link ChannelRules} and {@link Webhook}); other fields are ignored.
     *
     * @param source where the JSON came from, for the error message
     * @throws IllegalArgumentException when the JSON is not such an array
     */
    public static List<App> parse(String json, String source) {
        List<App> apps = new ArrayList<>();
        try {
            for (Object item : new JsonArray(json)) {
                JsonObject app = (JsonObject) item;
                apps.add(new App(app.getString("id", ""), app.getString("key", ""), app.getString("secret", ""),
                        app.getBoolean("clientEvents", true), app.getBoolean("userAuthentication", false),
                        app.getInteger("maxConnections", 0), app.getInteger("maxChannelsPerConnection", 0),
                        app.getInteger("subscribesPerSecond", 0), ChannelRules.parse(app),
                        Webhook.parseAll(app.getJsonArray("webhooks")), app.getBoolean("subscriptionCount", false)));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + " must be a JSON array of {\"id\",\"key\",\"secret\",\"clientEvents\","
                    + "\"userAuthentication\",\"maxConnections\",\"maxChannelsPerConnection\",\"subscribesPerSecond\",\"history\",\"archive\",\"offline\",\"webhooks\",\"subscriptionCount\"} objects: "
                    + e.getMessage(), e);
        }
        return apps;
    }

    public Optional<App> byKey(String appKey) {
        return Optional.ofNullable(byKey.get(appKey));
    }

    public Optional<App> byId(String appId) {
        return Optional.ofNullable(byId.get(appId));
    }

    /**
     * Whether a connection admitted as this app may stay: the app is still here with the same key
     * and secret. A change of its other settings does not count.
     */
    public boolean stillAdmits(App app) {
        App now = byId.get(app.id());
        return now != null && now.key().equals(app.key()) && now.secret().equals(app.secret());
    }

    @Override
    public String toString() {
        return "apps " + new TreeSet<>(byId.keySet());
    }

    private static void validate(App app) {
        if (app.id().isBlank() || app.key().isBlank() || app.secret().isBlank()) {
            throw new IllegalArgumentException("An app needs a non-blank id, key and secret: " + app);
        }
        // Ids end up inside Redis keys and key patterns, so they keep to a plain alphabet.
        if (!app.id().matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("App ids may use only letters, digits, '_', '.' and '-': " + app);
        }
    }
}
