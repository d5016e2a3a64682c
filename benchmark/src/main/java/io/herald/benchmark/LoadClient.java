package io.herald.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

/**
 * The load generator's network side: one Vert.x with a few event loops that hold every client
 * socket (no thread per connection, so 20,000 sockets fit in one JVM), plus one event loop of
 * its own for the publisher so that publishing is not queued behind received frames.
 *
 * <p>A TCP connection is identified by (source address, source port, destination). With one
 * source address the ephemeral port range (about 28,000 ports by default) caps the connections
 * to one gateway port, so sockets are spread over several loopback source addresses
 * 127.0.0.2, 127.0.0.3, ... (all of 127.0.0.0/8 is loopback on Linux).
 */
final class LoadClient implements AutoCloseable {

    private final Vertx vertx;
    private final List<Context> socketLoops;
    private final Context publisherLoop;
    private final List<WebSocketClient> clients = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    LoadClient(int socketThreads, int sourceAddresses) {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(socketThreads + 1)
                // Nothing here blocks, but a busy loop under load is expected; do not flood the log.
                .setBlockedThreadCheckInterval(10).setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS));
        List<Context> loops = eventLoops(vertx, socketThreads + 1);
        publisherLoop = loops.get(socketThreads);
        socketLoops = List.copyOf(loops.subList(0, socketThreads));
        for (int i = 0; i < sourceAddresses; i++) {
            clients.add(vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setLocalAddress("127.0.0." + (2 + i))
                    // The default caps sockets per server at a few dozen and queues the rest.
                    .setMaxConnections(Integer.MAX_VALUE)
                    .setConnectTimeout(30_000)
                    .setTcpNoDelay(true)));
        }
    }

    /**
     * One context per event loop. A connection is served by the event loop of the context that
     * opens it, so connections opened from inside a callback would all pile onto one loop;
     * deploying one verticle instance per loop gives a context on each.
     */
    private static List<Context> eventLoops(Vertx vertx, int count) {
        List<Context> contexts = new CopyOnWriteArrayList<>();
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start() {
                contexts.add(context);
            }
        }, new DeploymentOptions().setInstances(count)).toCompletionStage().toCompletableFuture().join();
        return new ArrayList<>(contexts);
    }

    Vertx vertx() {
        return vertx;
    }

    /** The context that connection number {@code index} is opened and served on. */
    Context socketLoop(int index) {
        return socketLoops.get(index % socketLoops.size());
    }

    /** The client that binds connection number {@code index} to its source address. */
    WebSocketClient client(int index) {
        return clients.get(index % clients.size());
    }

    Context publisherLoop() {
        return publisherLoop;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Closing Vert.x closes every socket and client it holds.
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}
