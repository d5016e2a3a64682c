package io.herald.gateway.protocol;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.herald.gateway.apps.App;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/** One client's WebSocket, the app it connected to, and the channels it subscribed. */
public final class PusherConnection {

    private static final Logger LOG = Logger.getLogger(PusherConnection.class);

    private final WebSocketConnection socket;
    private final App app;
    private final String socketId;
    private final Set<String> channels = ConcurrentHashMap.newKeySet();

    public PusherConnection(WebSocketConnection socket, App app, String socketId) {
        this.socket = socket;
        this.app = app;
        this.socketId = socketId;
    }

    public App app() {
        return app;
    }

    public String socketId() {
        return socketId;
    }

    public Set<String> channels() {
        return channels;
    }

    /** Sends a frame without waiting; a socket that closed meanwhile just misses it. */
    public void send(String frame) {
        socket.sendText(frame).subscribe().with(
                ignored -> {
                },
                failure -> LOG.debugf("Dropped a frame to %s: %s", socketId, failure.getMessage()));
    }

    /** Sends {@code pusher:error} with the code, then closes with the same code, as Pusher does. */
    public void close(int code, String reason) {
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
