package io.herald.gateway.apps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The apps this gateway serves, found by key (WebSocket path) or by id (REST path). Apps never
 * see each other: every channel, interest set and presence hash is keyed by app id.
 *
 * <p>Sources, all optional, merged: the default app ({@code herald.app.id}, {@code .key},
 * {@code .secret}, {@code .client-events}, {@code .max-connections}; in local mode from
 * {@code HERALD_APP_*}), and a JSON array of apps, inline in {@code herald.apps.json} or in the
 * file {@code herald.apps.file}:
 * {@code [{"id":"2","key":"k","secret":"s","clientEvents":true,"maxConnections":0}]}. That file is the shape the
 * operator will write from PushApp resources.
 */
@ApplicationScoped
public class AppRegistry {

    @ConfigProperty(name = "herald.app.id")
    Optional<String> id;

    @ConfigProperty(name = "herald.app.key")
    Optional<String> key;

    @ConfigProperty(name = "herald.app.secret")
    Optional<String> secret;

    @ConfigProperty(name = "herald.app.client-events", defaultValue = "true")
    boolean clientEvents;

    @ConfigProperty(name = "herald.app.max-connections", defaultValue = "0")
    int maxConnections;

    @ConfigProperty(name = "herald.apps.json")
    Optional<String> appsJson;

    @ConfigProperty(name = "herald.apps.file")
    Optional<Path> appsFile;

    private final Map<String, App> byKey = new HashMap<>();
    private final Map<String, App> byId = new HashMap<>();

    @PostConstruct
    void init() {
        List<App> apps = new ArrayList<>();
        if (id.isPresent() || key.isPresent() || secret.isPresent()) {
            apps.add(new App(id.orElse(""), key.orElse(""), secret.orElse(""), clientEvents, maxConnections));
        }
        appsJson.ifPresent(json -> apps.addAll(parse(json, "herald.apps.json")));
        appsFile.ifPresent(file -> apps.addAll(parse(read(file), file.toString())));
        if (apps.isEmpty()) {
            throw new IllegalArgumentException("No app is configured: set herald.app.id, .key and .secret, "
                    + "or herald.apps.json, or herald.apps.file");
        }
        for (App app : apps) {
            validate(app);
            if (byId.putIfAbsent(app.id(), app) != null || byKey.putIfAbsent(app.key(), app) != null) {
                throw new IllegalArgumentException("Two apps share the id or key of " + app);
            }
        }
    }

    public Optional<App> byKey(String appKey) {
        return Optional.ofNullable(byKey.get(appKey));
    }

    public Optional<App> byId(String appId) {
        return Optional.ofNullable(byId.get(appId));
    }

    static List<App> parse(String json, String source) {
        List<App> apps = new ArrayList<>();
        try {
            for (Object item : new JsonArray(json)) {
                JsonObject app = (JsonObject) item;
                apps.add(new App(app.getString("id", ""), app.getString("key", ""), app.getString("secret", ""),
                        app.getBoolean("clientEvents", true), app.getInteger("maxConnections", 0)));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + " must be a JSON array of {\"id\",\"key\",\"secret\",\"clientEvents\","
                    + "\"maxConnections\"} objects: " + e.getMessage(), e);
        }
        return apps;
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

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the apps file " + file, e);
        }
    }
}
