package io.herald.benchmark;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the events the subscribers receive and how long each took from publish to receipt.
 * Called on every socket event loop at once, hence the adders and the concurrent histogram.
 */
final class DeliveryCounter implements PusherSocket.EventListener {

    private final MeasurementWindow window;
    private final LongAdder received = new LongAdder();
    private final LongAdder receivedOfWindow = new LongAdder();
    private final LongAdder unreadable = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final AtomicReference<String> lostReason = new AtomicReference<>();
    private final LatencyRecorder latency = new LatencyRecorder();

    DeliveryCounter(MeasurementWindow window) {
        this.window = window;
    }

    @Override
    public void onEvent(String frame) {
        long now = System.nanoTime();
        received.increment();
        long sent = PusherFrames.sentNanos(frame);
        if (sent == PusherFrames.NO_TIME) {
            unreadable.increment();
        } else if (window.contains(sent)) {
            receivedOfWindow.increment();
            latency.record(now - sent);
        }
    }

    @Override
    public void onLost(int closeCode, String reason) {
        lost.increment();
        lostReason.compareAndSet(null, reason);
    }

    /** Every event received so far, whenever it was published. */
    long received() {
        return received.sum();
    }

    /** Events received that were published inside the window. */
    long receivedOfWindow() {
        return receivedOfWindow.sum();
    }

    long unreadable() {
        return unreadable.sum();
    }

    long lostSockets() {
        return lost.sum();
    }

    String firstLostReason() {
        return lostReason.get();
    }

    LatencyRecorder.LatencySummary latency() {
        return latency.summary();
    }
}
