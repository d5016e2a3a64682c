package io.herald.gateway.rest;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.herald.gateway.apps.App;
import io.herald.gateway.history.ChannelHistory;
import io.herald.gateway.history.HistoryQuery;
import io.herald.gateway.protocol.ChannelNames;
import io.vertx.ext.web.RoutingContext;

/**
 * Herald's history read, {@code GET /apps/{id}/channels/{name}/events}: a channel's past events
 * by position, from the hot history and the archive as one sequence. Every channel a publisher
 * may publish to can be read, {@code #server-to-user-} ones included.
 */
@ApplicationScoped
class HistoryResource {

    private static final Logger LOG = Logger.getLogger(HistoryResource.class);
    private static final byte[] NO_BODY = new byte[0];

    @Inject
    SignedRequests signedRequests;

    @Inject
    ChannelHistory history;

    void events(RoutingContext context) {
        Optional<App> app = signedRequests.authenticate(context, NO_BODY);
        if (app.isEmpty()) {
            return;
        }
        String channel = context.pathParam("channelName");
        String problem = ChannelNames.problemWithPublishable(channel);
        if (problem != null) {
            JsonResponses.error(context, 400, problem);
            return;
        }
        HistoryQuery query;
        try {
            query = HistoryQuery.parse(context.queryParams()::get);
        } catch (IllegalArgumentException badRequest) {
            JsonResponses.error(context, 400, badRequest.getMessage());
            return;
        }
        context.vertx().executeBlocking(() -> history.read(app.get().id(), channel, query), false).onComplete(result -> {
            if (result.succeeded()) {
                JsonResponses.ok(context, result.result());
            } else {
                LOG.warnf("History read of %s failed: %s", channel, result.cause().toString());
                JsonResponses.retryLater(context, "The channel's history could not be read; retry later");
            }
        });
    }
}
