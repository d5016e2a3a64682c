package io.herald.gateway.rest;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.herald.gateway.apps.App;
import io.herald.streams.Publication;
import io.herald.streams.ShardStreams;
import io.herald.streams.UserChannels;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /apps/{app_id}/users/{user_id}/terminate_connections}: closes, with 4009, every
 * connection signed in as the user, on every gateway. It travels as an internal event on the
 * user's own channel, so it reaches exactly the gateways that have such connections.
 */
@ApplicationScoped
class UsersResource {

    @Inject
    SignedRequests signedRequests;

    @Inject
    ShardStreams shardStreams;

    void terminateConnections(RoutingContext context) {
        byte[] body = context.body().buffer() == null ? new byte[0] : context.body().buffer().getBytes();
        Optional<App> app = signedRequests.authenticate(context, body);
        if (app.isEmpty()) {
            return;
        }
        String userId = context.pathParam("userId");
        if (userId == null || userId.isEmpty()) {
            JsonResponses.error(context, 400, "The user id is missing");
            return;
        }
        Publication terminate = new Publication(app.get().id(), UserChannels.of(userId), UserChannels.TERMINATE, "{}", null);
        shardStreams.append(List.of(terminate)).whenComplete((ignored, failure) -> {
            if (failure != null) {
                JsonResponses.retryLater(context, "The request could not be stored; retry later");
            } else {
                JsonResponses.ok(context, new JsonObject());
            }
        });
    }
}
