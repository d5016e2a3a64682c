package io.herald.recovery.pusher;

import java.net.Proxy;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;

import com.pusher.client.connection.websocket.WebSocketClientWrapper;
import com.pusher.client.connection.websocket.WebSocketListener;
import com.pusher.client.util.Factory;

/**
 * pusher-java-client builds every socket, the first and each reconnection's, through its
 * {@link Factory}; this one builds {@link RecoveringSocket}s, so the client itself is unchanged.
 * Its timer and event threads are the client's own, which the acknowledgements reuse rather than
 * start threads of their own.
 */
final class RecoveringFactory extends Factory {

    private final ChannelPositions positions;
    private final Consumer<ChannelPositions.Outcome> outcomes;
    private final Optional<DeviceSignin> signin;
    private final Optional<DeviceAcks> acks;

    /** @param signin the device the client signs in with, if any; acknowledgements need one */
    RecoveringFactory(ChannelPositions positions, Consumer<ChannelPositions.Outcome> outcomes, Optional<DeviceSignin> signin,
            boolean autoAck) {
        this.positions = positions;
        this.outcomes = outcomes;
        this.signin = signin;
        this.acks = signin.map(device -> new DeviceAcks(autoAck, this::getTimers, this::queueOnEventThread));
    }

    Optional<DeviceAcks> acks() {
        return acks;
    }

    @Override
    public WebSocketClientWrapper newWebSocketClientWrapper(URI uri, Proxy proxy, WebSocketListener webSocketListener)
            throws SSLException {
        return new RecoveringSocket(uri, proxy, webSocketListener, positions, outcomes, signin, acks);
    }
}
