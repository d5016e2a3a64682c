package io.herald.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import io.vertx.core.Future;

/**
 * Opens many connections to one gateway as fast as it accepts them, with at most
 * {@code concurrency} handshakes in flight (as many clients reconnecting at once would), and
 * optionally subscribes each to a channel. Bounded by a deadline: whatever is open by then is
 * kept and reported.
 */
final class ConnectionRamp {

    private final LoadClient client;
    private final int port;
    private final IntFunction<PusherSocket.EventListener> listenerOf;

    ConnectionRamp(LoadClient client, int port, PusherSocket.EventListener events) {
        this(client, port, index -> events);
    }

    private ConnectionRamp(LoadClient client, int port, IntFunction<PusherSocket.EventListener> listenerOf) {
        this.client = client;
        this.port = port;
        this.listenerOf = listenerOf;
    }

    /** With a listener of its own for connection i, for scenarios that follow each connection apart. */
    static ConnectionRamp withListeners(LoadClient client, int port, IntFunction<PusherSocket.EventListener> listenerOf) {
        return new ConnectionRamp(client, port, listenerOf);
    }

    /**
     * @param channelOf the channel connection i subscribes to, or null to only connect
     */
    Result open(int count, int concurrency, IntFunction<String> channelOf, Duration timeout) {
        Run run = new Run(count, channelOf);
        long started = System.nanoTime();
        for (int i = 0; i < Math.min(concurrency, count); i++) {
            run.startNext();
        }
        long deadline = started + timeout.toNanos();
        boolean timedOut = false;
        while (!run.done.isDone()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                timedOut = true;
                run.done.cancel(false);
                break;
            }
            try {
                run.done.get(Math.min(left, TimeUnit.SECONDS.toNanos(5)), TimeUnit.NANOSECONDS);
            } catch (TimeoutException stillOpening) {
                System.err.printf("  ... %,d of %,d connections done, %,d failed%n", run.finished.get(), count, run.failed.get());
            } catch (Exception e) {
                throw new IllegalStateException("Opening connections failed", e);
            }
        }
        long elapsed = run.lastCompletion.get() == 0 ? System.nanoTime() - started : run.lastCompletion.get() - started;
        return new Result(new ArrayList<>(run.open), run.failed.get(), run.firstFailure.get(), timedOut, elapsed,
                run.handshakes.summary(), run.subscriptions.summary());
    }

    /** Closes the given sockets and waits (bounded) until they are closed. */
    static void closeAll(List<PusherSocket> sockets, Duration timeout) {
        List<Future<Void>> closing = new ArrayList<>();
        for (PusherSocket socket : sockets) {
            closing.add(socket.close());
        }
        try {
            Future.join(closing).toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Stragglers are closed with the load client at the end of the run anyway.
        }
    }

    /** The state of one {@link #open} call; callbacks update it from every event loop. */
    private final class Run {
        final int count;
        final IntFunction<String> channelOf;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicReference<String> firstFailure = new AtomicReference<>();
        final AtomicLong lastCompletion = new AtomicLong();
        final Queue<PusherSocket> open = new ConcurrentLinkedQueue<>();
        final LatencyRecorder handshakes = new LatencyRecorder();
        final LatencyRecorder subscriptions = new LatencyRecorder();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Run(int count, IntFunction<String> channelOf) {
            this.count = count;
            this.channelOf = channelOf;
        }

        void startNext() {
            int index = next.getAndIncrement();
            if (index >= count || done.isDone()) {
                return;
            }
            client.socketLoop(index).runOnContext(ignored -> {
                long begin = System.nanoTime();
                PusherSocket.open(client.client(index), port, BenchmarkCluster.APP.key(), listenerOf.apply(index))
                        .compose(socket -> {
                            long established = System.nanoTime();
                            handshakes.record(established - begin);
                            if (channelOf == null) {
                                return Future.succeededFuture(socket);
                            }
                            return socket.subscribe(channelOf.apply(index)).map(subscribed -> {
                                subscriptions.record(System.nanoTime() - established);
                                return socket;
                            });
                        })
                        .onComplete(result -> {
                            if (result.succeeded()) {
                                open.add(result.result());
                            } else {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, "connection " + index + ": " + result.cause());
                            }
                            if (finished.incrementAndGet() == count) {
                                lastCompletion.set(System.nanoTime());
                                done.complete(null);
                            } else {
                                startNext();
                            }
                        });
            });
        }
    }

    /**
     * @param elapsedNanos from the first connect to the last connection's completion (or the deadline)
     * @param handshakes connect until {@code connection_established}
     * @param subscriptions subscribe sent until {@code subscription_succeeded}; empty when not subscribing
     */
    record Result(List<PusherSocket> sockets, int failed, String firstFailure, boolean timedOut, long elapsedNanos,
            LatencyRecorder.LatencySummary handshakes, LatencyRecorder.LatencySummary subscriptions) {

        double perSecond() {
            return sockets.size() / (elapsedNanos / 1e9);
        }
    }
}
