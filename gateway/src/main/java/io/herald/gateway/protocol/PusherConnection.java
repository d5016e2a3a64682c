package io.herald.gateway.protocol;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.herald.gateway.GatewayMetrics;
import io.herald.gateway.apps.App;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * One client's WebSocket, the app it connected to, and the channels it subscribed.
 *
 * <p>Frames not yet written to the socket are counted. A client that reads too slowly lets them
 * pile up; past the limit it is disconnected with 4100 (reconnect after a back-off) instead of
 * holding the gateway's memory, and nothing it does slows the other sockets.
 */
public final class PusherConnection {

    private static final Logger LOG = Logger.getLogger(PusherConnection.class);

    private final WebSocketConnection socket;
    private final App app;
    private final String socketId;
    private final String remoteAddress;
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    /** The user this connection is in each presence channel it joined. */
    private final Map<String, String> presenceUsers = new ConcurrentHashMap<>();
    private final long maxQueuedChars;
    private final GatewayMetrics metrics;
    private final AtomicLong queuedChars = new AtomicLong();
    private volatile boolean closing;
    private final RateWindow clientEventRate = new RateWindow();
    private final TokenBucket subscribeRate = new TokenBucket();
    private volatile String signedInUser;
    private volatile String signedInUserInfo;
    private volatile String device;
    private final long openedAtMillis = System.currentTimeMillis();
    private volatile long lastHeardMillis = openedAtMillis;
    private volatile boolean pinged;

    /**
     * @param remoteAddress the client's address, without the port
     * @param maxQueuedChars how much unwritten output (in characters, about bytes) the socket may hold
     * @param metrics where the frames written, dropped and a cut for slowness are counted
     */
    public PusherConnection(WebSocketConnection socket, App app, String socketId, String remoteAddress, long maxQueuedChars,
            GatewayMetrics metrics) {
        this.socket = socket;
        this.app = app;
        this.socketId = socketId;
        this.remoteAddress = remoteAddress;
        this.maxQueuedChars = maxQueuedChars;
        this.metrics = metrics;
    }

    public App app() {
        return app;
    }

    public String socketId() {
        return socketId;
    }

    String remoteAddress() {
        return remoteAddress;
    }

    public Set<String> channels() {
        return channels;
    }

    /** The user this connection is in a presence channel, or null. */
    public String presenceUser(String channel) {
        return presenceUsers.get(channel);
    }

    /** The user this connection is in each presence channel it joined; guarded by the connection's lock. */
    public Map<String, String> presenceUsers() {
        return presenceUsers;
    }

    long openedAtMillis() {
        return openedAtMillis;
    }

    /** Anything from the client proves it alive. */
    void heard(long nowMillis) {
        lastHeardMillis = nowMillis;
        pinged = false;
    }

    long lastHeardMillis() {
        return lastHeardMillis;
    }

    boolean pinged() {
        return pinged;
    }

    void markPinged() {
        pinged = true;
    }

    /** The user this connection signed in as ({@code pusher:signin}), or null. */
    public String signedInUser() {
        return signedInUser;
    }

    /** The user_info given at sign-in, as JSON, or null. */
    public String signedInUserInfo() {
        return signedInUserInfo;
    }

    void signIn(String userId, String userInfo) {
        signedInUserInfo = userInfo;
        signedInUser = userId;
    }

    /** The device the connection named at sign-in ({@code herald_device}), or null. */
    public String device() {
        return device;
    }

    void nameDevice(String id) {
        device = id;
    }

    RateWindow clientEventRate() {
        return clientEventRate;
    }

    TokenBucket subscribeRate() {
        return subscribeRate;
    }

    /** Sends a frame without waiting; a socket that closed meanwhile just misses it. */
    public void send(String frame) {
        if (closing) {
            return;
        }
        long size = frame.length();
        if (queuedChars.addAndGet(size) > maxQueuedChars) {
            queuedChars.addAndGet(-size);
            closing = true;
            metrics.cutAsSlow();
            LOG.debugf("%s reads too slowly (%d characters waiting); disconnecting it", socketId, queuedChars.get());
            socket.close(new CloseReason(CloseCodes.OVER_CAPACITY, "Client too slow to keep up; reconnect later"))
                    .subscribe().with(ignored -> {
                    }, failure -> LOG.debugf("Closing slow %s failed: %s", socketId, failure.getMessage()));
            return;
        }
        socket.sendText(frame).subscribe().with(
                ignored -> {
                    queuedChars.addAndGet(-size);
                    metrics.written((int) size);
                },
                failure -> {
                    queuedChars.addAndGet(-size);
                    metrics.dropped();
                    LOG.debugf("Dropped a frame to %s: %s", socketId, failure.getMessage());
                });
    }

    /** Sends {@code pusher:error} with the code, then closes with the same code, as Pusher does. */
    public void close(int code, String reason) {
        closing = true;
        socket.sendText(Frames.error(code, reason))
                .onItemOrFailure().transformToUni((ignored, failure) -> socket.close(new CloseReason(code, reason)))
                .subscribe().with(ignored -> {
                }, failure -> LOG.debugf("Closing %s failed: %s", socketId, failure.getMessage()));
    }

    @Override
    public String toString() {
        return "PusherConnection[" + socketId + "]";
    }
}
