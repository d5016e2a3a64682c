package io.herald.gateway.protocol;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.herald.gateway.GatewayConfig;
import io.herald.gateway.ShardBacklog;
import io.herald.gateway.apps.Retentions;
import io.herald.gateway.console.ConsoleFeed;
import io.herald.gateway.fanout.LocalSubscriptions;
import io.herald.gateway.webhooks.WebhookStream;
import io.herald.streams.OrderedShardWriter;
import io.herald.streams.Publication;
import io.herald.streams.WebhookFact;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * Relays {@code client-} events, as Pusher does: only if the app allows them, only on private and
 * presence channels the sender is subscribed to, at most a few per second per connection, and
 * never back to the sender. They travel like any publication (shard stream, router, inboxes), so
 * subscribers on every gateway receive them, in channel order. Only this gateway sees an event
 * arrive, so it decides the {@code client_event} webhook fact, once the event is stored and only
 * when one of the app's webhooks wants it. A rejected event gets a
 * {@code pusher:error} with code 4301 and the connection stays open.
 */
@ApplicationScoped
class ClientEvents {

    private static final Logger LOG = Logger.getLogger(ClientEvents.class);

    static final int REJECTED = 4301;

    @Inject
    LocalSubscriptions subscriptions;

    @Inject
    OrderedShardWriter writer;

    @Inject
    ShardBacklog backlog;

    @Inject
    Retentions retentions;

    @Inject
    WebhookStream webhooks;

    @Inject
    ConsoleFeed console;

    @Inject
    GatewayConfig config;

    void relay(PusherConnection sender, String event, JsonObject message) {
        String problem = problemWith(sender, event, message);
        if (problem != null) {
            sender.send(Frames.error(REJECTED, "Client event rejected: " + problem));
            return;
        }
        String channel = message.getString("channel");
        Object value = message.getValue("data");
        // Relayed as a JSON string, like every event: pusher-js parses it back into an object.
        String data = value instanceof String text ? text : Json.encode(value);
        int maxDataBytes = config.limits().maxEventDataBytes();
        if (data.getBytes(StandardCharsets.UTF_8).length > maxDataBytes) {
            sender.send(Frames.error(REJECTED, "Client event rejected: data is larger than " + maxDataBytes + " bytes"));
            return;
        }
        // On presence channels receivers learn who sent it; the id is the server's, never the client's.
        Publication publication = retentions.applied(sender.app(), new Publication(sender.app().id(), channel, event, data,
                sender.socketId(), sender.presenceUser(channel)));
        writer.append(publication).whenComplete((ignored, failure) -> {
            if (failure != null) {
                sender.send(Frames.error(REJECTED, "Client event rejected: it could not be stored, try again"));
                return;
            }
            console.clientEvent(publication);
            if (sender.app().wantsWebhook(WebhookFact.CLIENT_EVENT, channel)) {
                webhooks.append(WebhookFact.clientEvent(sender.app().id(), channel, event, data, sender.socketId(),
                        publication.userId())).whenComplete((id, lost) -> {
                            if (lost != null) {
                                LOG.warnf("The client_event webhook of %s on %s is lost: %s", sender.socketId(), channel,
                                        lost.getMessage());
                            }
                        });
            }
        });
    }

    private String problemWith(PusherConnection sender, String event, JsonObject message) {
        if (!sender.app().clientEvents()) {
            return "client events are not enabled for this app";
        }
        if (event.length() > ChannelNames.MAX_EVENT_NAME_LENGTH) {
            return "event names are limited to " + ChannelNames.MAX_EVENT_NAME_LENGTH + " characters";
        }
        if (!(message.getValue("channel") instanceof String channel)) {
            return "'channel' must be a string";
        }
        if (!ChannelNames.isPrivate(channel) && !ChannelNames.isPresence(channel)) {
            return "client events are only allowed on private and presence channels";
        }
        if (!subscriptions.isReceiving(sender, channel)) {
            return "subscribe to " + channel + " before sending client events on it";
        }
        if (backlog.isOverBudget(sender.app().id(), channel)) {
            return "the channel's backlog is over its budget (routers are behind), try again later";
        }
        int perSecond = config.limits().clientEventsPerSecond();
        if (!sender.clientEventRate().tryAcquire(System.currentTimeMillis(), perSecond)) {
            return "rate limit of " + perSecond + " per second exceeded";
        }
        return null;
    }
}
