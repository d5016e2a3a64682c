package io.herald.operator.apps;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An app as gateways read it from the apps Secret. The field names are the gateway's apps.json
 * format; changing one means changing the gateway's parser too. The per-connection limits are 0
 * for the gateway's defaults; the rule lists are empty for the cluster's default history and no
 * archive; {@code offline} is null, and left out, for the gateway's default offline rule;
 * {@code webhooks} is left out when empty and {@code subscriptionCount} when false, so apps
 * without them read as before.
 */
public record PublishedApp(String id, String key, String secret, boolean clientEvents, boolean userAuthentication,
        int maxConnections, int maxChannelsPerConnection, int subscribesPerSecond, List<History> history,
        List<Archive> archive, @JsonInclude(JsonInclude.Include.NON_NULL) Offline offline,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Webhook> webhooks,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean subscriptionCount) {

    public PublishedApp {
        history = history == null ? List.of() : List.copyOf(history);
        archive = archive == null ? List.of() : List.copyOf(archive);
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    }

    /** An app that does not count subscriptions. */
    public PublishedApp(String id, String key, String secret, boolean clientEvents, boolean userAuthentication,
            int maxConnections, int maxChannelsPerConnection, int subscribesPerSecond, List<History> history,
            List<Archive> archive, Offline offline, List<Webhook> webhooks) {
        this(id, key, secret, clientEvents, userAuthentication, maxConnections, maxChannelsPerConnection,
                subscribesPerSecond, history, archive, offline, webhooks, false);
    }

    /** An app without webhooks. */
    public PublishedApp(String id, String key, String secret, boolean clientEvents, boolean userAuthentication,
            int maxConnections, int maxChannelsPerConnection, int subscribesPerSecond, List<History> history,
            List<Archive> archive, Offline offline) {
        this(id, key, secret, clientEvents, userAuthentication, maxConnections, maxChannelsPerConnection,
                subscribesPerSecond, history, archive, offline, List.of());
    }

    /** An app with the default history, no archive and the default offline rule. */
    public PublishedApp(String id, String key, String secret, boolean clientEvents, boolean userAuthentication,
            int maxConnections, int maxChannelsPerConnection, int subscribesPerSecond) {
        this(id, key, secret, clientEvents, userAuthentication, maxConnections, maxChannelsPerConnection,
                subscribesPerSecond, List.of(), List.of(), null, List.of());
    }

    /** How many events, for how long, the channels whose names start with {@code prefix} keep in Redis. */
    public record History(String prefix, int size, int ttlSeconds) {
    }

    /** How long publications to channels whose names start with {@code prefix} are kept in MongoDB. */
    public record Archive(String prefix, long retentionSeconds) {
    }

    /** Where the app's webhooks go: the URL, the event types (empty for all) and the channel prefix ("" for all). */
    public record Webhook(String url, List<String> eventTypes, String channelPrefix) {
    }

    /** How long and how many events users' personal streams keep for their offline devices. */
    public record Offline(int retentionSeconds, int maxEvents) {
    }
}
