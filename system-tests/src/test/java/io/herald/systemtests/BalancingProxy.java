package io.herald.systemtests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay in front of several gateways, playing the load balancer (a Kubernetes
 * Service) a client reaches a cluster through: each new connection goes to the next gateway, round
 * robin, skipping the ones that refuse it. The test can {@link #cut()} every relayed connection
 * with a reset, as a network failure shows itself to the client, while new connections keep being
 * accepted.
 */
final class BalancingProxy implements AutoCloseable {

    private final ServerSocketChannel listener;
    private final List<Integer> upstreamPorts;
    private final AtomicInteger next = new AtomicInteger();
    /** Open relayed connections: the client side and the upstream it was paired with. */
    private final Map<SocketChannel, SocketChannel> relayed = new ConcurrentHashMap<>();
    private final AtomicInteger lastUpstream = new AtomicInteger(-1);

    BalancingProxy(List<Integer> upstreamPorts) throws IOException {
        this.upstreamPorts = List.copyOf(upstreamPorts);
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "balancing-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.socket().getLocalPort();
    }

    /** The gateway port the newest relayed connection went to, or -1 before the first. */
    int lastUpstream() {
        return lastUpstream.get();
    }

    /** Resets every relayed connection at once (both sides); new connections are still accepted. */
    void cut() {
        relayed.forEach((client, upstream) -> {
            reset(client);
            reset(upstream);
        });
        relayed.clear();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        cut();
    }

    private void accept() {
        while (listener.isOpen()) {
            SocketChannel client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            SocketChannel upstream = connectUpstream();
            if (upstream == null) {
                // No gateway takes it: the client sees its connection closed, as behind a balancer with no ready backend.
                reset(client);
                continue;
            }
            relayed.put(client, upstream);
            pump(client, upstream);
            pump(upstream, client);
        }
    }

    private SocketChannel connectUpstream() {
        for (int attempt = 0; attempt < upstreamPorts.size(); attempt++) {
            int port = upstreamPorts.get(Math.floorMod(next.getAndIncrement(), upstreamPorts.size()));
            try {
                SocketChannel upstream = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                lastUpstream.set(port);
                return upstream;
            } catch (IOException refused) {
                // that gateway is down: try the next
            }
        }
        return null;
    }

    private void pump(SocketChannel from, SocketChannel to) {
        Thread pump = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                // one side went away, or the test cut the connection
            }
            close(from);
            close(to);
            relayed.remove(from);
            relayed.remove(to);
        }, "balancing-proxy-pump");
        pump.setDaemon(true);
        pump.start();
    }

    /** Closes with SO_LINGER 0, so the peer gets a reset rather than an orderly end. */
    private static void reset(SocketChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException e) {
            // already closed
        }
        close(channel);
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
