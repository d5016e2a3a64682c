package io.herald.gateway.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.herald.gateway.GatewayConfig;
import io.herald.gateway.GatewayMetrics;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** Mounts Pusher's signed REST API on the gateway's HTTP server. */
@ApplicationScoped
public class RestApi {

    @Inject
    EventsResource events;

    @Inject
    ChannelsResource channels;

    @Inject
    UsersResource users;

    @Inject
    HistoryResource history;

    @Inject
    GatewayMetrics metrics;

    @Inject
    GatewayConfig config;

    void mount(@Observes Router router) {
        // A route of its own, first: Vert.x wants the body handler first on the routes that read bodies.
        router.postWithRegex("/apps/[^/]+/(batch_)?events").handler(this::countPublish);
        router.post("/apps/:appId/events")
                .handler(BodyHandler.create(false).setBodyLimit(config.rest().maxBodyBytes()))
                .handler(events::trigger)
                .failureHandler(RestApi::failure);
        router.post("/apps/:appId/batch_events")
                .handler(BodyHandler.create(false).setBodyLimit(config.rest().maxBodyBytes() * 10))
                .handler(events::triggerBatch)
                .failureHandler(RestApi::failure);
        router.post("/apps/:appId/users/:userId/terminate_connections")
                .handler(BodyHandler.create(false).setBodyLimit(config.rest().maxBodyBytes()))
                .handler(users::terminateConnections)
                .failureHandler(RestApi::failure);
        router.get("/apps/:appId/channels").handler(channels::list).failureHandler(RestApi::failure);
        router.get("/apps/:appId/channels/:channelName").handler(channels::show).failureHandler(RestApi::failure);
        router.get("/apps/:appId/channels/:channelName/users").handler(channels::users).failureHandler(RestApi::failure);
        router.get("/apps/:appId/channels/:channelName/events").handler(history::events).failureHandler(RestApi::failure);
    }

    /** Counts the publish request by the status it is answered with, whichever handler answers it. */
    private void countPublish(RoutingContext context) {
        context.addHeadersEndHandler(ignored -> metrics.publishAnswered(context.response().getStatusCode()));
        context.next();
    }

    static void failure(RoutingContext context) {
        int status = context.statusCode() > 0 ? context.statusCode() : 500;
        String message = status == 413 ? "Request body too large" : "Request failed";
        JsonResponses.error(context, status, message);
    }
}
