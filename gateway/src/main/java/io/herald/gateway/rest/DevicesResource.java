package io.herald.gateway.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.gateway.GatewayConfig;
import io.herald.gateway.apps.App;
import io.herald.gateway.apps.Retentions;
import io.herald.gateway.devices.DeviceRecords.Device;
import io.herald.gateway.devices.DeviceRecords;
import io.herald.gateway.protocol.ChannelNames;
import io.herald.streams.ClusterSettings;
import io.herald.streams.PersistentSubscription;
import io.herald.streams.ShardStreams;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Herald's REST extensions for offline delivery, signed like the rest of the API: a user's
 * persistent subscriptions (subscribe, unsubscribe, list), the user's devices with what each
 * acknowledged, and the receipts of one position of the user's personal stream (which devices
 * have it). A subscription change travels in its channel's shard stream, so the channel's router
 * applies it in channel order; the list shows it once routed, milliseconds later.
 */
@ApplicationScoped
class DevicesResource {

    private static final byte[] NO_BODY = new byte[0];
    /** As long as a sign-in's user id may be. */
    private static final int MAX_USER_ID_LENGTH = 128;

    @Inject
    SignedRequests signedRequests;

    @Inject
    ShardStreams shardStreams;

    @Inject
    Retentions retentions;

    @Inject
    DeviceRecords devices;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    GatewayConfig config;

    void mount(@Observes Router router) {
        String user = "/apps/:appId/users/:userId/";
        router.post(user + "subscriptions").handler(BodyHandler.create(false).setBodyLimit(config.rest().maxBodyBytes()))
                .handler(this::subscribe).failureHandler(RestApi::failure);
        router.delete(user + "subscriptions/:channel").handler(this::unsubscribe).failureHandler(RestApi::failure);
        router.get(user + "subscriptions").handler(this::subscriptions).failureHandler(RestApi::failure);
        router.get(user + "devices").handler(this::devices).failureHandler(RestApi::failure);
        router.get(user + "receipts").handler(this::receipts).failureHandler(RestApi::failure);
    }

    private void subscribe(RoutingContext context) {
        byte[] body = context.body().buffer() == null ? NO_BODY : context.body().buffer().getBytes();
        Optional<App> app = signedRequests.authenticate(context, body);
        String userId = app.isEmpty() ? null : userOf(context);
        if (userId == null) {
            return;
        }
        Object channel;
        try {
            channel = new JsonObject(new String(body, java.nio.charset.StandardCharsets.UTF_8)).getValue("channel");
        } catch (RuntimeException e) {
            JsonResponses.error(context, 400, "The body must be a JSON object {\"channel\":\"...\"}");
            return;
        }
        change(context, app.get(), userId, channel instanceof String name ? name : null, true);
    }

    private void unsubscribe(RoutingContext context) {
        Optional<App> app = signedRequests.authenticate(context, NO_BODY);
        String userId = app.isEmpty() ? null : userOf(context);
        if (userId != null) {
            change(context, app.get(), userId, context.pathParam("channel"), false);
        }
    }

    /** Users' personal streams and Herald's own channels cannot be subscribed to: a copy would loop. */
    private void change(RoutingContext context, App app, String userId, String channel, boolean subscribed) {
        String problem = channel == null ? "'channel' must be a string" : ChannelNames.problemWith(channel);
        if (problem != null || channel.startsWith("#")) {
            JsonResponses.error(context, 400, problem != null ? problem : "Channel " + channel + " cannot be subscribed to");
            return;
        }
        PersistentSubscription change = new PersistentSubscription(app.id(), channel, userId, subscribed,
                retentions.forChannel(app, ChannelNames.SERVER_TO_USER_PREFIX + userId));
        shardStreams.append(List.of(change)).whenComplete((ignored, failure) -> {
            if (failure != null) {
                JsonResponses.retryLater(context, "The subscription could not be stored; retry later");
            } else {
                JsonResponses.ok(context, new JsonObject());
            }
        });
    }

    private void subscriptions(RoutingContext context) {
        Optional<App> app = signedRequests.authenticate(context, NO_BODY);
        String userId = app.isEmpty() ? null : userOf(context);
        if (userId == null) {
            return;
        }
        // Each slot group indexes the user's subscriptions among its own channels.
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        List<RFuture<Set<String>>> groups = new ArrayList<>();
        for (int group = 0; group < cluster.layout().slotGroups(); group++) {
            groups.add(batch.<String>getSet(cluster.layout().userSubscriptions(app.get().id(), userId, group),
                    StringCodec.INSTANCE).readAllAsync());
        }
        batch.executeAsync().whenComplete((ignored, failure) -> {
            if (failure != null) {
                JsonResponses.retryLater(context, "Redis could not be read; retry later");
            } else {
                Set<String> channels = new TreeSet<>();
                groups.forEach(group -> channels.addAll(group.toCompletableFuture().join()));
                JsonResponses.ok(context, new JsonObject().put("channels", new JsonArray(List.copyOf(channels))));
            }
        });
    }

    private void devices(RoutingContext context) {
        Optional<App> app = signedRequests.authenticate(context, NO_BODY);
        String userId = app.isEmpty() ? null : userOf(context);
        if (userId == null) {
            return;
        }
        devices.devices(app.get().id(), userId).whenComplete((known, failure) -> {
            if (failure != null) {
                JsonResponses.retryLater(context, "Redis could not be read; retry later");
                return;
            }
            JsonArray list = new JsonArray();
            for (Device device : known) {
                list.add(new JsonObject().put("id", device.id()).put("epoch", device.ack().epoch())
                        .put("offset", device.ack().offset()).put("lastSeen", device.ack().seenMillis()));
            }
            JsonResponses.ok(context, new JsonObject().put("devices", list));
        });
    }

    /** Which devices acknowledged the position: same epoch, offset at or past it. */
    private void receipts(RoutingContext context) {
        Optional<App> app = signedRequests.authenticate(context, NO_BODY);
        String userId = app.isEmpty() ? null : userOf(context);
        if (userId == null) {
            return;
        }
        String epoch = context.queryParams().get("epoch");
        long offset;
        try {
            offset = Long.parseLong(String.valueOf(context.queryParams().get("offset")));
        } catch (NumberFormatException e) {
            offset = -1;
        }
        if (epoch == null || epoch.isEmpty() || offset < 0) {
            JsonResponses.error(context, 400, "receipts need 'epoch' and a non-negative integer 'offset'");
            return;
        }
        long asked = offset;
        devices.devices(app.get().id(), userId).whenComplete((known, failure) -> {
            if (failure != null) {
                JsonResponses.retryLater(context, "Redis could not be read; retry later");
                return;
            }
            JsonArray received = new JsonArray();
            JsonArray pending = new JsonArray();
            for (Device device : known) {
                boolean has = device.ack().epoch().equals(epoch) && device.ack().offset() >= asked;
                (has ? received : pending).add(device.id());
            }
            JsonResponses.ok(context, new JsonObject().put("received", received).put("pending", pending));
        });
    }

    /** The path's user id, or null after answering 400 when it cannot be a user's. */
    private static String userOf(RoutingContext context) {
        String userId = context.pathParam("userId");
        if (userId == null || userId.isEmpty() || userId.length() > MAX_USER_ID_LENGTH) {
            JsonResponses.error(context, 400, "The user id must be 1 to " + MAX_USER_ID_LENGTH + " characters");
            return null;
        }
        return userId;
    }
}
