package io.herald.contract;

/**
 * Gateway settings that the operator sets through environment variables: the gateway reads the
 * property, Quarkus maps the variable onto it, and the operator writes the variable. Keeping both
 * names here lets neither side drift from the other.
 */
public final class GatewayEnvironment {

    /** Connections one remote address may hold on one gateway; 0 (the default) for no limit. */
    public static final String CONNECTIONS_PER_ADDRESS_PROPERTY = "herald.limits.connections-per-address";
    /** The variable the operator sets for {@link #CONNECTIONS_PER_ADDRESS_PROPERTY}. */
    public static final String CONNECTIONS_PER_ADDRESS = "HERALD_LIMITS_CONNECTIONS_PER_ADDRESS";

    private GatewayEnvironment() {
    }
}
