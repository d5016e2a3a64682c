package io.herald.gateway.rest;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** REST answers: JSON bodies with real status codes, as Pusher's SDKs expect; the web console answers the same way. */
public final class JsonResponses {

    /** Long enough for routers to catch up or a replica to return, short enough not to stall publishers. */
    static final int RETRY_AFTER_SECONDS = 1;

    private JsonResponses() {
    }

    public static void ok(RoutingContext context, JsonObject body) {
        send(context, 200, body);
    }

    public static void error(RoutingContext context, int status, String message) {
        send(context, status, new JsonObject().put("error", message).put("status", status));
    }

    /** 503 with {@code Retry-After}: nothing is wrong with the request, the cluster cannot take it now. */
    public static void retryLater(RoutingContext context, String message) {
        if (!context.response().ended()) {
            context.response().putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        }
        error(context, 503, message);
    }

    private static void send(RoutingContext context, int status, JsonObject body) {
        if (context.response().ended()) {
            return;
        }
        context.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.encode());
    }
}
