package io.herald.gateway.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.herald.gateway.apps.App;
import io.herald.gateway.protocol.ChannelNames;
import io.herald.streams.Publication;
import io.herald.streams.ShardStreams;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /apps/{app_id}/events}: publishes one event to up to 100 channels. The answer is
 * 200 only once every publication is in its shard stream, so an acknowledged event survives the
 * loss of any gateway or router.
 */
@ApplicationScoped
class EventsResource {

    private static final Logger LOG = Logger.getLogger(EventsResource.class);
    private static final Pattern SOCKET_ID = Pattern.compile("\\d+\\.\\d+");
    static final int MAX_CHANNELS = 100;

    @Inject
    SignedRequests signedRequests;

    @Inject
    ShardStreams shardStreams;

    @ConfigProperty(name = "herald.limits.max-event-data-bytes", defaultValue = "10240")
    int maxDataBytes;

    void trigger(RoutingContext context) {
        byte[] body = context.body().buffer() == null ? new byte[0] : context.body().buffer().getBytes();
        Optional<App> app = signedRequests.authenticate(context, body);
        if (app.isEmpty()) {
            return;
        }
        List<Publication> publications;
        try {
            publications = parse(app.get(), body);
        } catch (BadRequest e) {
            JsonResponses.error(context, e.status, e.getMessage());
            return;
        }
        shardStreams.append(publications).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warnf("Could not append %d publications for app %s: %s", publications.size(), app.get().id(),
                        failure.getMessage());
                JsonResponses.error(context, 503, "The event could not be stored; it was not published. Retry later.");
            } else {
                JsonResponses.ok(context, new JsonObject());
            }
        });
    }

    private List<Publication> parse(App app, byte[] body) {
        JsonObject request;
        try {
            request = new JsonObject(new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new BadRequest(400, "Body must be a JSON object");
        }
        String name = string(request, "name", true);
        if (name.isEmpty() || name.length() > ChannelNames.MAX_EVENT_NAME_LENGTH) {
            throw new BadRequest(400, "'name' must have 1 to " + ChannelNames.MAX_EVENT_NAME_LENGTH + " characters");
        }
        String data = string(request, "data", true);
        if (data.getBytes(StandardCharsets.UTF_8).length > maxDataBytes) {
            throw new BadRequest(413, "'data' is larger than " + maxDataBytes + " bytes");
        }
        String socketId = string(request, "socket_id", false);
        if (socketId != null && !SOCKET_ID.matcher(socketId).matches()) {
            throw new BadRequest(400, "'socket_id' must look like 1234.5678");
        }
        List<Publication> publications = new ArrayList<>();
        for (String channel : channels(request)) {
            String problem = ChannelNames.problemWith(channel);
            if (problem != null) {
                throw new BadRequest(400, problem);
            }
            publications.add(new Publication(app.id(), channel, name, data, socketId));
        }
        return publications;
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
