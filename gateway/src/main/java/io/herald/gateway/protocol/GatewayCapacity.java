package io.herald.gateway.protocol;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.herald.gateway.GatewayConfig;

/**
 * The most connections this gateway holds, whatever the apps. Past it a new connection is refused
 * with 4100 (over capacity: reconnect after a back-off), which through a load balancer usually
 * lands on another gateway, so a gateway the autoscaler has not yet relieved does not run out of
 * memory. 0 means no limit. A singleton, not a client proxy: it is asked on every connect.
 */
@Singleton
public class GatewayCapacity {

    @Inject
    Connections connections;

    @Inject
    GatewayConfig config;

    /** Read once: asked on every connect; tests change it on the running gateway. */
    int maxConnections;

    @PostConstruct
    void init() {
        maxConnections = config.gateway().maxConnections();
    }

    boolean admitsAnother() {
        return maxConnections <= 0 || connections.count() < maxConnections;
    }

    int maxConnections() {
        return maxConnections;
    }
}
