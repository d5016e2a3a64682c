package io.herald.gateway.protocol;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

import org.jboss.logging.Logger;

import io.herald.gateway.GatewayMetrics;
import io.herald.gateway.apps.App;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * One client's WebSocket (or HTTP session, see {@link XhrSession}), the app it connected to, and
 * the channels it subscribed.
 *
 * <p>Frames go out on the socket's event loop (see {@link SocketWrites}). A client that reads too
 * slowly lets them pile up in the channel's outbound buffer; past the limit it is disconnected
 * with 4100 (reconnect after a back-off) instead of holding the gateway's memory, and nothing it
 * does slows the other sockets.
 *
 * <p>An HTTP session is the same connection with another place to put its frames: instead of
 * Netty objects it has a session, which queues the encoded frames until a receive request takes
 * them. One field tells the two apart, null-checked on each write and flush, so the WebSocket
 * path keeps writing straight to its channel.
 */
public final class PusherConnection {

    private static final Logger LOG = Logger.getLogger(PusherConnection.class);

    private final WebSocketConnection socket;
    private final App app;
    private final String socketId;
    private final String remoteAddress;
    /**
     * A copy-on-write set: a connection holds a few channels, changed rarely and read by other
     * threads, and the array costs about a third of a concurrent set's memory per connection.
     */
    private final Set<String> channels = new CopyOnWriteArraySet<>();
    /** The user this connection is in each presence channel it joined; made at the first join, which most never make. */
    private volatile Map<String, String> presenceUsers;
    /*
     * The Netty objects a write touches, kept here rather than reached through each other: a
     * publication to thousands of sockets touches each socket's objects once, and every hop is
     * a cache miss. Frames are written from the frame encoder's context, past the encoder: they
     * come encoded already (see {@link OutboundFrame}).
     */
    private final ChannelHandlerContext channel;
    /** Null for a WebSocket; then the Netty fields are set, else they are null. */
    private final XhrSession session;
    private final EventExecutor eventLoop;
    private final Channel.Unsafe unsafe;
    private final ChannelPromise noNotice;
    private final long maxQueuedBytes;
    private final GatewayMetrics metrics;
    /** Set by any thread once nothing more may be queued for the socket. */
    private volatile boolean closing;
    /** Event loop only: the socket was closed, later frames are dropped. */
    private boolean closed;
    /** Event loop only: frames were written since the last flush. */
    private boolean unflushed;
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
     * @param maxQueuedBytes how much unwritten output (in bytes) the socket may hold
     * @param metrics where the frames written, dropped and a cut for slowness are counted
     */
    public PusherConnection(WebSocketConnection socket, App app, String socketId, String remoteAddress, long maxQueuedBytes,
            GatewayMetrics metrics) {
        this(socket, NettySockets.frameEncoder(socket), null, app, socketId, remoteAddress, maxQueuedBytes, metrics);
    }

    /** A connection over an HTTP session: its frames wait in the session, on the session's event loop. */
    PusherConnection(XhrSession session, App app, String socketId, String remoteAddress, long maxQueuedBytes,
            GatewayMetrics metrics) {
        this(null, null, session, app, socketId, remoteAddress, maxQueuedBytes, metrics);
    }

    private PusherConnection(WebSocketConnection socket, ChannelHandlerContext channel, XhrSession session, App app,
            String socketId, String remoteAddress, long maxQueuedBytes, GatewayMetrics metrics) {
        this.socket = socket;
        this.channel = channel;
        this.session = session;
        this.eventLoop = channel == null ? session.eventLoop() : channel.executor();
        this.unsafe = channel == null ? null : channel.channel().unsafe();
        this.noNotice = unsafe == null ? null : unsafe.voidPromise();
        this.app = app;
        this.socketId = socketId;
        this.remoteAddress = remoteAddress;
        this.maxQueuedBytes = maxQueuedBytes;
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
        Map<String, String> users = presenceUsers;
        return users == null ? null : users.get(channel);
    }

    /** The user this connection is in each presence channel it joined, read-only. */
    public Map<String, String> presenceUsers() {
        Map<String, String> users = presenceUsers;
        return users == null ? Map.of() : Collections.unmodifiableMap(users);
    }

    /** Records the user this connection joined a presence channel as. */
    public synchronized void joinedPresence(String channel, String user) {
        if (presenceUsers == null) {
            presenceUsers = new ConcurrentHashMap<>(4);
        }
        presenceUsers.put(channel, user);
    }

    /** Forgets a presence channel this connection left; returns the user it was there, or null. */
    public String leftPresence(String channel) {
        Map<String, String> users = presenceUsers;
        return users == null ? null : users.remove(channel);
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
        try (OutboundFrame encoded = OutboundFrame.of(frame)) {
            send(encoded);
        }
    }

    /**
     * Sends a frame encoded once for many sockets, without waiting: it is written on the socket's
     * event loop (see {@link SocketWrites}).
     */
    public void send(OutboundFrame frame) {
        if (!closing) {
            SocketWrites.enqueue(this, session == null ? frame.webSocketShare() : frame.payloadShare());
        }
    }

    /** Sends {@code pusher:error} with the code, then closes with the same code, as Pusher does. */
    public void close(int code, String reason) {
        if (closing) {
            return;
        }
        try (OutboundFrame error = OutboundFrame.of(Frames.error(code, reason))) {
            send(error);
        }
        closing = true;
        SocketWrites.enqueue(this, (Runnable) () -> closeNow(new CloseReason(code, reason)));
    }

    EventExecutor eventLoop() {
        return eventLoop;
    }

    /**
     * On the event loop: writes a frame's bytes (without flushing) or runs an action, in queue
     * order. Returns the bytes written, or -1 when no frame was: the caller counts them, once per run.
     */
    int handle(Object item) {
        if (item instanceof ByteBuf frame) {
            return write(frame);
        } else if (item instanceof Runnable action) {
            action.run();
            return -1;
        } else {
            throw new IllegalStateException("Nothing to do with " + item);
        }
    }

    GatewayMetrics metrics() {
        return metrics;
    }

    private int write(ByteBuf frame) {
        long waiting = waitingBytes();
        if (waiting < 0) {
            frame.release();
            metrics.dropped();
            return -1;
        }
        if (waiting > maxQueuedBytes) {
            frame.release();
            closing = true;
            metrics.cutAsSlow();
            LOG.debugf("%s reads too slowly (%d bytes waiting); disconnecting it", socketId, waiting);
            closeNow(new CloseReason(CloseCodes.OVER_CAPACITY, "Client too slow to keep up; reconnect later"));
            return -1;
        }
        int size;
        if (session == null) {
            size = OutboundFrame.payloadBytes(frame);
            channel.write(frame, noNotice);
        } else {
            size = frame.readableBytes();
            session.queue(frame);
        }
        unflushed = true;
        return size;
    }

    /** Output not yet taken by the client, or -1 once nothing more can be: the connection closed. */
    private long waitingBytes() {
        if (closed) {
            return -1;
        }
        if (session != null) {
            return session.queuedBytes();
        }
        // Null once the channel closed; Netty itself drops what is written to a closed channel.
        ChannelOutboundBuffer unwritten = unsafe.outboundBuffer();
        return unwritten == null ? -1 : unwritten.totalPendingWriteBytes();
    }

    /** On the event loop, after a run of writes: one flush for all of them. */
    void flush() {
        if (unflushed) {
            unflushed = false;
            if (session == null) {
                channel.flush();
            } else {
                session.flush();
            }
        }
    }

    private void closeNow(CloseReason reason) {
        closed = true;
        flush();
        if (session != null) {
            session.close(reason.getCode(), reason.getMessage());
            return;
        }
        socket.close(reason).subscribe().with(ignored -> {
        }, failure -> LOG.debugf("Closing %s failed: %s", socketId, failure.getMessage()));
    }

    @Override
    public String toString() {
        return "PusherConnection[" + socketId + "]";
    }
}
