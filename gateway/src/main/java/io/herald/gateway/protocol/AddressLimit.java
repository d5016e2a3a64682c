package io.herald.gateway.protocol;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.herald.gateway.GatewayConfig;

/**
 * The most connections one remote address may hold on this gateway, against a single client
 * opening sockets by the thousand with the public key. Past it a new connection is refused with
 * {@link CloseCodes#TOO_MANY_FROM_ADDRESS}, which clients retry after a back-off. 0 (the default)
 * means no limit. The address is the TCP peer's: behind a proxy that does not keep the client's
 * address, every client shares the proxy's, so the limit is only for direct or address-preserving
 * paths. Counted per gateway, not cluster-wide.
 */
@Singleton
public class AddressLimit {

    @Inject
    Connections connections;

    @Inject
    GatewayConfig config;

    /** Read once: asked on every connect; tests change it on the running gateway. */
    int perAddress;

    @PostConstruct
    void init() {
        perAddress = config.limits().connectionsPerAddress();
    }

    boolean admitsAnother(String address) {
        return perAddress <= 0 || connections.countFrom(address) < perAddress;
    }

    int perAddress() {
        return perAddress;
    }

    /**
     * The host part of the {@code host:port} WebSockets Next reports (IPv6 hosts contain colons
     * too), as one instance per host: every connection from it keeps the address for its life,
     * and so does the per-address count.
     */
    static String hostOf(String remoteAddress) {
        if (remoteAddress == null) {
            return "";
        }
        int port = remoteAddress.lastIndexOf(':');
        return (port < 0 ? remoteAddress : remoteAddress.substring(0, port)).intern();
    }
}
