package io.herald.gateway.rest;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.herald.gateway.GatewayConfig;
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

    @Inject
    GatewayConfig config;

    Clock clock = Clock.systemUTC();

    Optional<App> authenticate(RoutingContext context, byte[] body) {
        String appId = context.pathParam("appId");
        Optional<App> app = apps.byId(appId);
        if (app.isEmpty()) {
            JsonResponses.error(context, 404, "Unknown app '" + appId + "'");
            return Optional.empty();
        }
        List<Map.Entry<String, String>> query = context.queryParams().entries();
        String method = context.request().method().name();
        long now = clock.instant().getEpochSecond();
        String path = context.request().path();
        long window = config.rest().timestampWindowSeconds();
        Optional<String> problem = RequestSignature.verify(app.get(), method, path, query, body, now, window);
        // Some SDKs sign a channel name in the path before percent-encoding it, others after.
        String decodedPath = java.net.URLDecoder.decode(path.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        if (problem.isPresent() && !decodedPath.equals(path)
                && RequestSignature.verify(app.get(), method, decodedPath, query, body, now, window).isEmpty()) {
            problem = Optional.empty();
        }
        if (problem.isPresent()) {
            JsonResponses.error(context, 401, problem.get());
            return Optional.empty();
        }
        return app;
    }
}
