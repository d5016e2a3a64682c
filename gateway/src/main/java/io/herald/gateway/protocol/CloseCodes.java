package io.herald.gateway.protocol;

/** Pusher's close codes that Herald sends. Clients decide from the range whether to reconnect. */
public final class CloseCodes {

    /** Application does not exist: clients do not reconnect. */
    public static final int UNKNOWN_APP = 4001;
    /** Over the app's connection quota: clients do not reconnect. */
    public static final int OVER_QUOTA = 4004;
    /** Connection is unauthorized, or terminated by the app: clients do not reconnect. */
    public static final int UNAUTHORIZED = 4009;
    /** Unsupported protocol version. */
    public static final int UNSUPPORTED_PROTOCOL = 4007;
    /** Over capacity, or too slow a reader: clients reconnect after a back-off. */
    public static final int OVER_CAPACITY = 4100;
    /** Too many connections from the client's address to this gateway: clients reconnect after a back-off. */
    public static final int TOO_MANY_FROM_ADDRESS = 4101;
    /** Generic "reconnect now": this gateway cannot serve, another one can. */
    public static final int RECONNECT = 4200;
    /** The client answered no ping: it is gone, or its network is. */
    public static final int PONG_NOT_RECEIVED = 4201;

    private CloseCodes() {
    }
}
