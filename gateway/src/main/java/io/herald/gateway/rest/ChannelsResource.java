package io.herald.gateway.rest;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.herald.gateway.apps.App;
import io.herald.gateway.protocol.ChannelNames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Pusher's channel queries, answered from cluster-wide state: {@code GET /apps/{id}/channels},
 * {@code GET /apps/{id}/channels/{name}} and {@code GET /apps/{id}/channels/{name}/users}.
 */
@ApplicationScoped
class ChannelsResource {

    private static final Logger LOG = Logger.getLogger(ChannelsResource.class);
    private static final byte[] NO_BODY = new byte[0];

    @Inject
    SignedRequests signedRequests;

    @Inject
    ChannelInfo info;

    void list(RoutingContext context) {
        Optional<App> app = signedRequests.authenticate(context, NO_BODY);
        if (app.isEmpty()) {
            return;
        }
        String prefix = Optional.ofNullable(context.queryParams().get("filter_by_prefix")).orElse("");
        Set<String> requested = ChannelInfo.requested(context.queryParams().get("info"));
        if (requested.contains(ChannelInfo.USER_COUNT) && !prefix.startsWith("presence-")) {
            JsonResponses.error(context, 400, "user_count needs filter_by_prefix=presence-");
            return;
        }
        answer(context, () -> {
            JsonObject channels = new JsonObject();
            for (String channel : info.occupied(app.get().id(), prefix)) {
                channels.put(channel, info.attributes(app.get().id(), channel, requested));
            }
            return new JsonObject().put("channels", channels);
        });
    }

    void show(RoutingContext context) {
        Optional<App> app = signedRequests.authenticate(context, NO_BODY);
        String channel = context.pathParam("channelName");
        if (app.isEmpty() || !validChannel(context, channel)) {
            return;
        }
        Set<String> requested = ChannelInfo.requested(context.queryParams().get("info"));
        answer(context, () -> {
            boolean cache = ChannelInfo.takeCache(requested, channel);
            boolean occupied = info.isOccupied(app.get().id(), channel);
            JsonObject attributes = info.attributes(app.get().id(), channel, requested);
            JsonObject answer = new JsonObject().put("occupied", occupied);
            if (occupied) {
                answer.mergeIn(attributes);
            }
            // The last event outlives the subscribers: a backend may look before anyone subscribes.
            if (cache) {
                answer.put(ChannelInfo.CACHE, info.cache(app.get().id(), channel));
            }
            return answer;
        });
    }

    void users(RoutingContext context) {
        Optional<App> app = signedRequests.authenticate(context, NO_BODY);
        String channel = context.pathParam("channelName");
        if (app.isEmpty() || !validChannel(context, channel)) {
            return;
        }
        if (!ChannelNames.isPresence(channel)) {
            JsonResponses.error(context, 400, "Users can only be listed for presence channels");
            return;
        }
        answer(context, () -> {
            JsonArray users = new JsonArray();
            info.users(app.get().id(), channel).forEach(user -> users.add(new JsonObject().put("id", user)));
            return new JsonObject().put("users", users);
        });
    }

    private static boolean validChannel(RoutingContext context, String channel) {
        String problem = ChannelNames.problemWith(channel);
        if (problem != null) {
            JsonResponses.error(context, 400, problem);
            return false;
        }
        return true;
    }

    /** Runs the Redis queries off the event loop; a query about something that does not apply is a 400. */
    private static void answer(RoutingContext context, Callable<JsonObject> query) {
        context.vertx().executeBlocking(query, false).onComplete(result -> {
            if (result.succeeded()) {
                JsonResponses.ok(context, result.result());
            } else if (result.cause() instanceof IllegalArgumentException badRequest) {
                JsonResponses.error(context, 400, badRequest.getMessage());
            } else {
                LOG.warnf("Channel query failed: %s", result.cause().toString());
                JsonResponses.retryLater(context, "The cluster state could not be read; retry later");
            }
        });
    }
}
