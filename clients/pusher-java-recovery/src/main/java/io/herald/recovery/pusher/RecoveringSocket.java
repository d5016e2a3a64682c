package io.herald.recovery.pusher;

import java.net.Proxy;
import java.net.URI;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;

import com.pusher.client.connection.websocket.WebSocketClientWrapper;
import com.pusher.client.connection.websocket.WebSocketListener;

/**
 * pusher-java-client's own socket, which sees every frame on its way: it rewrites subscribes
 * before they leave and notes positions as frames arrive, before the client handles them, so a
 * channel's position is never behind what its listeners were given.
 */
final class RecoveringSocket extends WebSocketClientWrapper {

    private final ChannelPositions positions;
    private final Consumer<ChannelPositions.Outcome> outcomes;

    RecoveringSocket(URI uri, Proxy proxy, WebSocketListener connection, ChannelPositions positions,
            Consumer<ChannelPositions.Outcome> outcomes) throws SSLException {
        super(uri, proxy, connection);
        this.positions = positions;
        this.outcomes = outcomes;
    }

    @Override
    public void send(String text) {
        super.send(positions.outgoing(text));
    }

    @Override
    public void onMessage(String message) {
        positions.incoming(message).ifPresent(outcomes);
        super.onMessage(message);
    }
}
