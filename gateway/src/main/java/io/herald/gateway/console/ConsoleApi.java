package io.herald.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.redisson.api.RedissonClient;

import io.herald.gateway.GatewayConfig;
import io.herald.gateway.GatewayMetrics;
import io.herald.gateway.ShardBacklog;
import io.herald.gateway.apps.App;
import io.herald.gateway.apps.AppRegistry;
import io.herald.gateway.apps.Retentions;
import io.herald.gateway.protocol.ChannelNames;
import io.herald.gateway.rest.JsonResponses;
import io.herald.streams.ClusterSettings;
import io.herald.streams.Publication;
import io.herald.streams.ShardStreams;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The web console on the gateway's HTTP port, mounted only when {@code herald.console.enabled}
 * is true: the page ({@code /console/}, three static files) and its API under
 * {@code /console/api}. Signing in with the app's key and secret gives a token
 * ({@link ConsoleTokens}); every other call needs it ({@code Authorization: Bearer}, or
 * {@code ?token=} for the event stream) and is refused with 401 and a message otherwise.
 */
@ApplicationScoped
public class ConsoleApi {

    private static final Logger LOG = Logger.getLogger(ConsoleApi.class);
    private static final Map<String, String> PAGES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");
    private static final long MAX_BODY_BYTES = 65536;

    @Inject
    ConsoleFeed feed;

    @Inject
    ConsoleView view;

    @Inject
    AppRegistry apps;

    @Inject
    ShardStreams shardStreams;

    @Inject
    ShardBacklog backlog;

    @Inject
    Retentions retentions;

    @Inject
    GatewayMetrics metrics;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    GatewayConfig config;

    private final AtomicInteger sessions = new AtomicInteger();
    private final Map<String, Buffer> pages = new HashMap<>();

    void mount(@Observes Router router) {
        if (!feed.enabled()) {
            return;
        }
        metrics.consoleSessions(sessions);
        PAGES.keySet().forEach(name -> pages.put(name, Buffer.buffer(resource(name))));
        // Vert.x matches /console and /console/ alike; the page's relative links need the slash.
        router.get("/console").handler(context -> {
            if (context.request().path().endsWith("/")) {
                page(context, "index.html");
            } else {
                context.redirect("/console/");
            }
        });
        PAGES.keySet().forEach(name -> router.get("/console/" + name).handler(context -> page(context, name)));
        router.post("/console/api/session").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(this::signIn);
        router.get("/console/api/apps/:appId/session").handler(this::session);
        router.get("/console/api/apps/:appId/stream").handler(this::stream);
        router.post("/console/api/apps/:appId/events").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(this::publish);
    }

    /** {@code {"app_id","key","secret"}} answered with {@code {"token","app_id","expires_at"}}, or 401. */
    private void signIn(RoutingContext context) {
        JsonObject body = jsonBody(context);
        if (body == null) {
            JsonResponses.error(context, 400, "The body must be a JSON object with app_id, key and secret");
            return;
        }
        Optional<App> app = Optional.ofNullable(body.getValue("app_id")).map(Object::toString).flatMap(apps::byId);
        Optional<String> problem = ConsoleTokens.credentialsProblem(app, text(body, "key"), text(body, "secret"));
        if (problem.isPresent()) {
            JsonResponses.error(context, 401, problem.get());
            return;
        }
        long expiresAt = nowSeconds() + ConsoleTokens.LIFETIME_SECONDS;
        JsonResponses.ok(context, new JsonObject().put("token", ConsoleTokens.issue(app.get(), expiresAt))
                .put("app_id", app.get().id()).put("expires_at", expiresAt));
    }

    /** Whether the token still opens the app's console: the page asks when its event stream fails. */
    private void session(RoutingContext context) {
        authorized(context).ifPresent(app -> JsonResponses.ok(context, new JsonObject().put("app_id", app.id())
                .put("expires_at", expiresAt(token(context)))));
    }

    private void stream(RoutingContext context) {
        authorized(context).ifPresent(app -> new ConsoleSession(app, expiresAt(token(context)), context.response(),
                context.vertx().getOrCreateContext(), view, redis, cluster, sessions, metrics).start());
    }

    /** The page's test form: {@code {"channel","event","data"}} published as a REST trigger would be. */
    private void publish(RoutingContext context) {
        Optional<App> app = authorized(context);
        if (app.isEmpty()) {
            return;
        }
        JsonObject body = jsonBody(context);
        String channel = body == null ? null : text(body, "channel");
        String event = body == null ? null : text(body, "event");
        String data = body == null ? null : text(body, "data");
        int maxDataBytes = config.limits().maxEventDataBytes();
        String problem = channel == null || event == null || data == null ? "channel, event and data must be strings"
                : event.isEmpty() || event.length() > ChannelNames.MAX_EVENT_NAME_LENGTH
                        ? "the event name must have 1 to " + ChannelNames.MAX_EVENT_NAME_LENGTH + " characters"
                : data.getBytes(StandardCharsets.UTF_8).length > maxDataBytes ? "data is larger than " + maxDataBytes + " bytes"
                : ChannelNames.problemWithPublishable(channel);
        if (problem != null) {
            JsonResponses.error(context, 400, problem);
            return;
        }
        if (backlog.isOverBudget(app.get().id(), channel)) {
            JsonResponses.retryLater(context, "The channel's backlog is over its budget (routers are behind); retry later");
            return;
        }
        Publication publication = retentions.applied(app.get(), new Publication(app.get().id(), channel, event, data, null));
        shardStreams.publish(List.of(publication)).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warnf("The console could not publish to %s of app %s: %s", channel, app.get().id(), failure.getMessage());
                JsonResponses.retryLater(context, "The event could not be stored; retry");
            } else {
                feed.published(publication);
                JsonResponses.ok(context, new JsonObject());
            }
        });
    }

    /** The app the request names, when its token opens it; else answered 401 and empty. */
    private Optional<App> authorized(RoutingContext context) {
        String appId = context.pathParam("appId");
        Optional<App> app = apps.byId(appId);
        if (app.isEmpty()) {
            JsonResponses.error(context, 401, "Unknown app '" + appId + "': sign in again");
            return Optional.empty();
        }
        Optional<String> problem = ConsoleTokens.problemWith(app.get(), token(context), nowSeconds());
        if (problem.isPresent()) {
            JsonResponses.error(context, 401, problem.get());
            return Optional.empty();
        }
        return app;
    }

    private static String token(RoutingContext context) {
        String header = context.request().getHeader("Authorization");
        if (header != null && header.startsWith("Bearer ")) {
            return header.substring("Bearer ".length()).trim();
        }
        return context.queryParams().get("token");
    }

    /** The expiry of a token {@link ConsoleTokens#problemWith} accepted. */
    private static long expiresAt(String token) {
        return Long.parseLong(token.split("\\.")[1]);
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    private static JsonObject jsonBody(RoutingContext context) {
        try {
            return context.body().buffer() == null ? null : new JsonObject(context.body().buffer());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonObject body, String field) {
        return body.getValue(field) instanceof String value ? value : null;
    }

    private void page(RoutingContext context, String name) {
        context.response().putHeader("Content-Type", PAGES.get(name))
                .putHeader("Cache-Control", "no-cache")
                // The page needs nothing from anywhere else, and nobody may frame it.
                .putHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
                .end(pages.get(name));
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConsoleApi.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("The console's " + name + " is missing from the gateway");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("The console's " + name + " could not be read", e);
        }
    }
}
