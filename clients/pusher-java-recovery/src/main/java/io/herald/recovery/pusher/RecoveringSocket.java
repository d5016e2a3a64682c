package io.herald.recovery.pusher;

import java.net.Proxy;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;

import org.java_websocket.exceptions.WebsocketNotConnectedException;

import com.pusher.client.connection.websocket.WebSocketClientWrapper;
import com.pusher.client.connection.websocket.WebSocketListener;

/**
 * pusher-java-client's own socket, which sees every frame on its way: it rewrites subscribes
 * (and, with a device, sign-ins) before they leave and notes positions as frames arrive, before
 * the client handles them, so a channel's position is never behind what its listeners were
 * given. Acknowledgements are noted after the client queued the frame for its listeners, so none
 * goes out ahead of them.
 */
final class RecoveringSocket extends WebSocketClientWrapper implements DeviceAcks.Link {

    private final ChannelPositions positions;
    private final Consumer<ChannelPositions.Outcome> outcomes;
    private final Optional<DeviceSignin> signin;
    private final Optional<DeviceAcks> acks;

    RecoveringSocket(URI uri, Proxy proxy, WebSocketListener connection, ChannelPositions positions,
            Consumer<ChannelPositions.Outcome> outcomes, Optional<DeviceSignin> signin, Optional<DeviceAcks> acks)
            throws SSLException {
        super(uri, proxy, connection);
        this.positions = positions;
        this.outcomes = outcomes;
        this.signin = signin;
        this.acks = acks;
    }

    @Override
    public void send(String text) {
        String frame = positions.outgoing(text);
        super.send(signin.map(device -> device.outgoing(frame)).orElse(frame));
    }

    @Override
    public void onMessage(String message) {
        positions.incoming(message).ifPresent(outcomes);
        super.onMessage(message);
        acks.ifPresent(device -> device.incoming(message, this));
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        acks.ifPresent(device -> device.closed(this));
        super.onClose(code, reason, remote);
    }

    /** Sent as it is: only the client's own frames are rewritten. */
    @Override
    public boolean sendAck(String frame) {
        if (!isOpen()) {
            return false;
        }
        try {
            super.send(frame);
            return true;
        } catch (WebsocketNotConnectedException e) {
            // Closed between the check and the send.
            return false;
        }
    }
}
