package io.herald.gateway.apps;

import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The apps this gateway serves, found by key (WebSocket path) or by id (REST path). Today one app
 * comes from configuration ({@code herald.app.id}, {@code .key}, {@code .secret}, or the
 * environment variables {@code HERALD_APP_ID}, ...).
 */
@ApplicationScoped
public class AppRegistry {

    @ConfigProperty(name = "herald.app.id")
    String id;

    @ConfigProperty(name = "herald.app.key")
    String key;

    @ConfigProperty(name = "herald.app.secret")
    String secret;

    @ConfigProperty(name = "herald.app.client-events", defaultValue = "true")
    boolean clientEvents;

    private App app;

    @PostConstruct
    void init() {
        if (id.isBlank() || key.isBlank() || secret.isBlank()) {
            throw new IllegalArgumentException("herald.app.id, herald.app.key and herald.app.secret must not be blank");
        }
        if (id.contains(":")) {
            throw new IllegalArgumentException("herald.app.id must not contain ':', was " + id);
        }
        app = new App(id, key, secret, clientEvents);
    }

    public Optional<App> byKey(String appKey) {
        return app.key().equals(appKey) ? Optional.of(app) : Optional.empty();
    }

    public Optional<App> byId(String appId) {
        return app.id().equals(appId) ? Optional.of(app) : Optional.empty();
    }
}
