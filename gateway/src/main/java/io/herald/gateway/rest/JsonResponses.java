package io.herald.gateway.rest;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** REST answers: JSON bodies with real status codes, as Pusher's SDKs expect. */
final class JsonResponses {

    private JsonResponses() {
    }

    static void ok(RoutingContext context, JsonObject body) {
        send(context, 200, body);
    }

    static void error(RoutingContext context, int status, String message) {
        send(context, status, new JsonObject().put("error", message).put("status", status));
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
