package io.herald.operator.apps;

/**
 * An app as gateways read it from the apps Secret. The field names are the gateway's apps.json
 * format; changing one means changing the gateway's parser too. The per-connection limits are 0
 * for the gateway's defaults.
 */
public record PublishedApp(String id, String key, String secret, boolean clientEvents, boolean userAuthentication,
        int maxConnections, int maxChannelsPerConnection, int subscribesPerSecond) {
}
