package io.herald.gateway.apps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import io.herald.gateway.GatewayConfig;
import io.vertx.core.json.JsonArray;

/**
 * The apps this gateway serves, found by key (WebSocket path) or by id (REST path). Apps never
 * see each other: every channel, interest set and presence hash is keyed by app id.
 *
 * <p>Sources, all optional, merged: the default app ({@code herald.app.id}, {@code .key},
 * {@code .secret}, {@code .client-events}, {@code .user-authentication}, {@code .max-connections},
 * {@code .webhooks} (a JSON array, see {@link Webhook}), {@code .subscription-count};
 * in local mode from {@code HERALD_APP_*}), a JSON array of apps, inline in {@code herald.apps.json} or in the
 * file {@code herald.apps.file}:
 * {@code [{"id":"2","key":"k","secret":"s","clientEvents":true,"userAuthentication":false,"maxConnections":0}]}, and the same
 * array in a Kubernetes Secret ({@code herald.apps.secret}, see {@link SecretApps}), which the
 * operator writes from PushApp resources and which may change at any time.
 *
 * <p>Lookups read one immutable {@link Apps}; a change swaps it whole and is then announced as
 * an {@link Apps} event, so that connections whose app was withdrawn can be closed.
 */
@ApplicationScoped
public class AppRegistry {

    @Inject
    GatewayConfig config;

    @Inject
    Event<Apps> changes;

    /** The apps from configuration, fixed for the life of the process. */
    private List<App> configured;
    private volatile Apps current;

    @PostConstruct
    void init() {
        List<App> apps = new ArrayList<>();
        GatewayConfig.App app = config.app();
        if (app.id().isPresent() || app.key().isPresent() || app.secret().isPresent()) {
            apps.add(new App(app.id().orElse(""), app.key().orElse(""), app.secret().orElse(""), app.clientEvents(),
                    app.userAuthentication(), app.maxConnections(), 0, 0, ChannelRules.NONE, defaultAppWebhooks(),
                    app.subscriptionCount()));
        }
        config.apps().json().ifPresent(json -> apps.addAll(Apps.parse(json, "herald.apps.json")));
        config.apps().file().ifPresent(file -> apps.addAll(Apps.parse(read(file), file.toString())));
        // With a Secret, the operator may create the first app later.
        if (apps.isEmpty() && config.apps().secret().isEmpty()) {
            throw new IllegalArgumentException("No app is configured: set herald.app.id, .key and .secret, "
                    + "or herald.apps.json, or herald.apps.file, or herald.apps.secret");
        }
        configured = List.copyOf(apps);
        current = Apps.of(configured);
    }

    public Optional<App> byKey(String appKey) {
        return current.byKey(appKey);
    }

    public Optional<App> byId(String appId) {
        return current.byId(appId);
    }

    /** See {@link Apps#stillAdmits(App)}. */
    public boolean stillAdmits(App app) {
        return current.stillAdmits(app);
    }

    /**
     * Replaces the apps that came from the Secret, keeping the configured ones.
     *
     * @return the apps now served
     * @throws IllegalArgumentException when the result would be invalid; the apps served stay as they were
     */
    synchronized Apps replaceSecretApps(List<App> fromSecret) {
        List<App> all = new ArrayList<>(configured);
        all.addAll(fromSecret);
        current = Apps.of(all);
        changes.fire(current);
        return current;
    }

    private List<Webhook> defaultAppWebhooks() {
        try {
            return Webhook.parseAll(config.app().webhooks().map(JsonArray::new).orElse(null));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("herald.app.webhooks must be a JSON array of {\"url\",\"eventTypes\","
                    + "\"channelPrefix\"} objects: " + e.getMessage(), e);
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
