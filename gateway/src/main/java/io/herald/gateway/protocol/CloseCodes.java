package io.herald.gateway.protocol;

/** Pusher's close codes that Herald sends. Clients decide from the range whether to reconnect. */
public final class CloseCodes {

    /** Application does not exist: clients do not reconnect. */
    public static final int UNKNOWN_APP = 4001;
    /** Unsupported protocol version. */
    public static final int UNSUPPORTED_PROTOCOL = 4007;

    private CloseCodes() {
    }
}
