package io.herald.recovery.pusher;

import java.net.Proxy;
import java.net.URI;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;

import com.pusher.client.connection.websocket.WebSocketClientWrapper;
import com.pusher.client.connection.websocket.WebSocketListener;
import com.pusher.client.util.Factory;

/**
 * pusher-java-client builds every socket, the first and each reconnection's, through its
 * {@link Factory}; this one builds {@link RecoveringSocket}s, so the client itself is unchanged.
 */
final class RecoveringFactory extends Factory {

    private final ChannelPositions positions;
    private final Consumer<ChannelPositions.Outcome> outcomes;

    RecoveringFactory(ChannelPositions positions, Consumer<ChannelPositions.Outcome> outcomes) {
        this.positions = positions;
        this.outcomes = outcomes;
    }

    @Override
    public WebSocketClientWrapper newWebSocketClientWrapper(URI uri, Proxy proxy, WebSocketListener webSocketListener)
            throws SSLException {
        return new RecoveringSocket(uri, proxy, webSocketListener, positions, outcomes);
    }
}
