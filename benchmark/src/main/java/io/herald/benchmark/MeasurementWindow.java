package io.herald.benchmark;

/**
 * The part of a run that counts. Events published before it (warm-up) or after it (drain) are
 * delivered but not measured, so JIT compilation and shutdown do not distort the figures.
 * Times are {@link System#nanoTime()}, the clock the publish time in each event is taken from.
 */
final class MeasurementWindow {

    private volatile long start = Long.MAX_VALUE;
    private volatile long end = Long.MAX_VALUE;

    void open() {
        start = System.nanoTime();
    }

    void close() {
        end = System.nanoTime();
    }

    /** Whether an event published at this time belongs to the measurement. */
    boolean contains(long publishedNanos) {
        return publishedNanos - start >= 0 && end - publishedNanos > 0 && start != Long.MAX_VALUE;
    }

    double seconds() {
        return (end - start) / 1e9;
    }
}
