package io.herald.gateway.rest;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.herald.gateway.apps.App;
import io.herald.gateway.apps.AppRegistry;
import io.herald.gateway.auth.RequestSignature;
import io.vertx.ext.web.RoutingContext;

/**
 * Finds the app a REST request addresses and checks its signature. On failure the request has
 * been answered (404 unknown app, 401 bad signature) and nothing else must be done with it.
 */
@ApplicationScoped
class SignedRequests {

    @Inject
    AppRegistry apps;

    @ConfigProperty(name = "herald.rest.timestamp-window-seconds", defaultValue = "600")
    long windowSeconds;

    Clock clock = Clock.systemUTC();

    Optional<App> authenticate(RoutingContext context, byte[] body) {
        String appId = context.pathParam("appId");
        Optional<App> app = apps.byId(appId);
        if (app.isEmpty()) {
            JsonResponses.error(context, 404, "Unknown app '" + appId + "'");
            return Optional.empty();
        }
        Map<String, String> query = new HashMap<>();
        context.queryParams().forEach(entry -> query.putIfAbsent(entry.getKey(), entry.getValue()));
        Optional<String> problem = RequestSignature.verify(app.get(), context.request().method().name(),
                context.request().path(), query, body, clock.instant().getEpochSecond(), windowSeconds);
        if (problem.isPresent()) {
            JsonResponses.error(context, 401, problem.get());
            return Optional.empty();
        }
        return app;
    }
}
