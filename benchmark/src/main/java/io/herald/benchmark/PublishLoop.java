package io.herald.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

import io.vertx.core.Context;

/**
 * Publishes at a fixed rate (or as fast as the gateway answers, for rate 0) from the publisher's
 * own event loop. Every millisecond it sends what the schedule says is due, as long as fewer than
 * {@code maxInFlight} requests await an answer; what the cap holds back is sent as soon as
 * answers come in, so the achieved rate shows when the publisher could not keep up.
 *
 * <p>Each event carries its publish time, taken just before the request is signed and sent.
 */
final class PublishLoop {

    private final Context loop;
    private final SignedPublisher publisher;
    private final List<String> channels;
    private final int channelsPerPublish;
    private final int payloadBytes;
    private final long ratePerSecond;
    private final int maxInFlight;
    private final MeasurementWindow window;
    private final ToLongFunction<List<String>> subscribersOf;

    // Touched only on the publisher's event loop.
    private long started;
    private long issued;
    private int inFlight;
    private int nextChannel;
    private long timer = -1;
    private boolean stopping;
    private long accepted;
    private long failed;
    private long acceptedOfWindow;
    private long expectedDeliveriesOfWindow;
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final LatencyRecorder answers = new LatencyRecorder();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    /**
     * @param subscribersOf how many deliveries one publication to these channels makes, to know
     *     how many to expect
     */
    PublishLoop(Context loop, SignedPublisher publisher, List<String> channels, int channelsPerPublish, int payloadBytes,
            long ratePerSecond, int maxInFlight, MeasurementWindow window, ToLongFunction<List<String>> subscribersOf) {
        this.loop = loop;
        this.publisher = publisher;
        this.channels = channels;
        this.channelsPerPublish = channelsPerPublish;
        this.payloadBytes = payloadBytes;
        this.ratePerSecond = ratePerSecond;
        this.maxInFlight = maxInFlight;
        this.window = window;
        this.subscribersOf = subscribersOf;
    }

    void start() {
        loop.runOnContext(ignored -> {
            started = System.nanoTime();
            timer = loop.owner().setPeriodic(1, id -> pump());
            pump();
        });
    }

    /** Stops sending; completes when every request in flight has its answer. */
    CompletableFuture<Stats> stop() {
        loop.runOnContext(ignored -> {
            stopping = true;
            loop.owner().cancelTimer(timer);
            if (inFlight == 0) {
                drained.complete(null);
            }
        });
        return drained.thenCompose(ignored -> {
            CompletableFuture<Stats> stats = new CompletableFuture<>();
            loop.runOnContext(v -> stats.complete(stats()));
            return stats;
        });
    }

    private void pump() {
        long due = ratePerSecond == 0 ? Long.MAX_VALUE : ratePerSecond * (System.nanoTime() - started) / 1_000_000_000L;
        while (!stopping && issued < due && inFlight < maxInFlight) {
            publishOne();
        }
    }

    private void publishOne() {
        List<String> targets = new ArrayList<>(channelsPerPublish);
        for (int i = 0; i < channelsPerPublish; i++) {
            targets.add(channels.get(nextChannel));
            nextChannel = (nextChannel + 1) % channels.size();
        }
        issued++;
        inFlight++;
        long sent = System.nanoTime();
        publisher.publish(PusherFrames.EVENT_NAME, targets, PusherFrames.eventData(sent, payloadBytes)).onComplete(result -> {
            inFlight--;
            boolean measured = window.contains(sent);
            if (measured) {
                answers.record(System.nanoTime() - sent);
            }
            if (result.succeeded() && result.result() == 200) {
                accepted++;
                if (measured) {
                    acceptedOfWindow++;
                    expectedDeliveriesOfWindow += subscribersOf.applyAsLong(targets);
                }
            } else {
                failed++;
                firstFailure.compareAndSet(null, result.succeeded() ? "HTTP " + result.result() : String.valueOf(result.cause()));
            }
            if (stopping) {
                if (inFlight == 0) {
                    drained.complete(null);
                }
            } else {
                pump();
            }
        });
    }

    private Stats stats() {
        return new Stats(issued, accepted, failed, firstFailure.get(), acceptedOfWindow, expectedDeliveriesOfWindow,
                answers.summary());
    }

    /**
     * @param acceptedOfWindow publications answered 200 that were sent inside the measurement window
     * @param expectedDeliveriesOfWindow the deliveries those should make
     * @param answers time from sending a request to its answer, for requests sent inside the window
     */
    record Stats(long issued, long accepted, long failed, String firstFailure, long acceptedOfWindow,
            long expectedDeliveriesOfWindow, LatencyRecorder.LatencySummary answers) {
    }
}
