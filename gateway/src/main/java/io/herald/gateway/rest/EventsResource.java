package io.herald.gateway.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.redisson.client.RedisResponseTimeoutException;

import io.herald.gateway.GatewayConfig;
import io.herald.gateway.GatewayMetrics;
import io.herald.gateway.ShardBacklog;
import io.herald.gateway.apps.App;
import io.herald.gateway.apps.Retentions;
import io.herald.gateway.console.ConsoleFeed;
import io.herald.gateway.protocol.ChannelNames;
import io.herald.streams.Publication;
import io.herald.streams.ShardStreams;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /apps/{app_id}/events} (one event to up to 100 channels) and
 * {@code POST /apps/{app_id}/batch_events} (up to 10 events). The answer is 200 only once every
 * publication is in its shard stream (and, with replicated durability, on a replica), so an
 * acknowledged event survives the loss of any gateway or router; a 503 means nothing was
 * published, except when only the replica's confirmation was missing. With {@code info}, the
 * answer carries each channel's attributes: {@code user_count} only for presence channels, as
 * Pusher answers a trigger to presence and other channels together.
 */
@ApplicationScoped
class EventsResource {

    private static final Logger LOG = Logger.getLogger(EventsResource.class);
    private static final Pattern SOCKET_ID = Pattern.compile("\\d+\\.\\d+");
    static final int MAX_CHANNELS = 100;
    static final int MAX_BATCH = 10;

    @Inject
    SignedRequests signedRequests;

    @Inject
    ShardStreams shardStreams;

    @Inject
    GatewayMetrics metrics;

    @Inject
    ChannelInfo channelInfo;

    @Inject
    ShardBacklog backlog;

    @Inject
    Retentions retentions;

    @Inject
    ConsoleFeed console;

    @Inject
    GatewayConfig config;

    void trigger(RoutingContext context) {
        handle(context, false, (app, request) -> List.of(parse(app, request, false)));
    }

    /** {@code POST /apps/{app_id}/batch_events}: up to 10 events, each to one channel, all stored or none acknowledged. */
    void triggerBatch(RoutingContext context) {
        handle(context, true, (app, request) -> {
            if (!(request.getValue("batch") instanceof JsonArray batch) || batch.isEmpty() || batch.size() > MAX_BATCH) {
                throw new BadRequest(400, "'batch' must be an array of 1 to " + MAX_BATCH + " events");
            }
            List<Event> events = new ArrayList<>();
            for (Object item : batch) {
                if (!(item instanceof JsonObject event)) {
                    throw new BadRequest(400, "every item of 'batch' must be an object");
                }
                events.add(parse(app, event, true));
            }
            return events;
        });
    }

    /** An event as requested: one publication per channel, and the info attributes wanted back. */
    private record Event(List<Publication> publications, Set<String> info) {
    }

    private interface Parser {
        List<Event> parse(App app, JsonObject request);
    }

    private void handle(RoutingContext context, boolean batch, Parser parser) {
        byte[] body = context.body().buffer() == null ? new byte[0] : context.body().buffer().getBytes();
        Optional<App> app = signedRequests.authenticate(context, body);
        if (app.isEmpty()) {
            return;
        }
        List<Event> events;
        try {
            events = parser.parse(app.get(), json(body));
        } catch (BadRequest e) {
            JsonResponses.error(context, e.status, e.getMessage());
            return;
        }
        List<Publication> publications = events.stream().flatMap(event -> event.publications().stream()).toList();
        for (Publication publication : publications) {
            if (backlog.isOverBudget(publication.app(), publication.channel())) {
                JsonResponses.retryLater(context, "The backlog of channel '" + publication.channel()
                        + "' is over its budget (routers are behind); nothing was published. Retry later.");
                return;
            }
        }
        shardStreams.publish(publications).whenComplete((ignored, failure) -> {
            if (failure instanceof CompletionException wrapped && wrapped.getCause() != null) {
                failure = wrapped.getCause();
            }
            if (failure instanceof ShardStreams.NotReplicatedException notReplicated) {
                JsonResponses.retryLater(context, "The event was stored but " + notReplicated.getMessage()
                        + ": it may still be delivered, and a failover may lose it. Retry later.");
            } else if (failure instanceof RedisResponseTimeoutException) {
                // The script was sent and may have run: all or nothing, but which is unknown.
                JsonResponses.retryLater(context, "Redis did not answer in time; the event may or may not have been "
                        + "published. Retry later.");
            } else if (failure != null) {
                metrics.redisError("publish");
                LOG.warnf("Could not append %d publications for app %s: %s", publications.size(), app.get().id(),
                        failure.getMessage());
                JsonResponses.retryLater(context, "The event could not be stored; it was not published. Retry later.");
                return;
            }
            publications.forEach(console::published);
            if (events.stream().allMatch(event -> event.info().isEmpty())) {
                JsonResponses.ok(context, new JsonObject());
            } else {
                context.vertx().executeBlocking(() -> withInfo(app.get(), events, batch), false).onComplete(result ->
                        // Published all the same when the info cannot be read: it is a courtesy.
                        JsonResponses.ok(context, result.succeeded() ? result.result() : new JsonObject()));
            }
        });
    }

    /**
     * The answer to a request that asked for info: {@code {"channels":{name:{...}}}} for /events,
     * {@code {"batch":[{...},...]}} for /batch_events, in request order. Blocking: reads Redis.
     */
    private JsonObject withInfo(App app, List<Event> events, boolean batch) {
        JsonArray perEvent = new JsonArray();
        JsonObject channels = new JsonObject();
        for (Event event : events) {
            JsonObject attributes = new JsonObject();
            for (Publication publication : event.info().isEmpty() ? List.<Publication>of() : event.publications()) {
                attributes = channelInfo.attributes(app.id(), publication.channel(),
                        ChannelInfo.applicableTo(event.info(), publication.channel()));
                channels.put(publication.channel(), attributes);
            }
            perEvent.add(attributes);
        }
        return batch ? new JsonObject().put("batch", perEvent) : new JsonObject().put("channels", channels);
    }

    private static JsonObject json(byte[] body) {
        try {
            return new JsonObject(new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new BadRequest(400, "Body must be a JSON object");
        }
    }

    private Event parse(App app, JsonObject request, boolean single) {
        String name = string(request, "name", true);
        if (name.isEmpty() || name.length() > ChannelNames.MAX_EVENT_NAME_LENGTH) {
            throw new BadRequest(400, "'name' must have 1 to " + ChannelNames.MAX_EVENT_NAME_LENGTH + " characters");
        }
        String data = string(request, "data", true);
        if (data.getBytes(StandardCharsets.UTF_8).length > config.limits().maxEventDataBytes()) {
            throw new BadRequest(413, "'data' is larger than " + config.limits().maxEventDataBytes() + " bytes");
        }
        String socketId = string(request, "socket_id", false);
        if (socketId != null && !SOCKET_ID.matcher(socketId).matches()) {
            throw new BadRequest(400, "'socket_id' must look like 1234.5678");
        }
        List<String> channels = channels(request);
        if (single && channels.size() != 1) {
            throw new BadRequest(400, "each event of a batch names one 'channel'");
        }
        Set<String> info = ChannelInfo.requested(string(request, "info", false));
        try {
            ChannelInfo.checkKnown(info);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(400, e.getMessage());
        }
        List<Publication> publications = new ArrayList<>();
        for (String channel : channels) {
            String problem = ChannelNames.problemWithPublishable(channel);
            if (problem != null) {
                throw new BadRequest(400, problem);
            }
            publications.add(retentions.applied(app, new Publication(app.id(), channel, name, data, socketId)));
        }
        return new Event(publications, info);
    }

    private static List<String> channels(JsonObject request) {
        Object channels = request.getValue("channels");
        Object channel = request.getValue("channel");
        if (channels != null && channel != null) {
            throw new BadRequest(400, "Give either 'channels' or 'channel', not both");
        }
        if (channel != null) {
            if (!(channel instanceof String single)) {
                throw new BadRequest(400, "'channel' must be a string");
            }
            return List.of(single);
        }
        if (!(channels instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_CHANNELS) {
            throw new BadRequest(400, "'channels' must be an array of 1 to " + MAX_CHANNELS + " channel names");
        }
        List<String> names = new ArrayList<>(array.size());
        for (Object name : array) {
            if (!(name instanceof String string)) {
                throw new BadRequest(400, "'channels' must contain only strings");
            }
            names.add(string);
        }
        return names;
    }

    private static String string(JsonObject request, String field, boolean required) {
        Object value = request.getValue(field);
        if (value == null) {
            if (required) {
                throw new BadRequest(400, "'" + field + "' is required");
            }
            return null;
        }
        if (!(value instanceof String string)) {
            throw new BadRequest(400, "'" + field + "' must be a string");
        }
        return string;
    }

    private static final class BadRequest extends RuntimeException {
        final int status;

        BadRequest(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
