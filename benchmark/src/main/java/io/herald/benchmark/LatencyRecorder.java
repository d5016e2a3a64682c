package io.herald.benchmark;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Latencies in nanoseconds, recorded from any event loop without locks. Values above an hour are
 * clamped (and counted) rather than lost, so that a stuck delivery still shows as the maximum.
 */
final class LatencyRecorder {

    private static final long HIGHEST = TimeUnit.HOURS.toNanos(1);

    // Three significant digits: p99 of 12.345 ms is reported as 12.3x ms, plenty for these targets.
    private final Histogram histogram = new ConcurrentHistogram(1, HIGHEST, 3);

    void record(long nanos) {
        histogram.recordValue(Math.max(1, Math.min(nanos, HIGHEST)));
    }

    LatencySummary summary() {
        Histogram copy = histogram.copy();
        return new LatencySummary(copy.getTotalCount(), copy.getValueAtPercentile(50), copy.getValueAtPercentile(90),
                copy.getValueAtPercentile(99), copy.getValueAtPercentile(99.9), copy.getMaxValue());
    }

    /** Percentiles in nanoseconds; all zero when nothing was recorded. */
    record LatencySummary(long count, long p50, long p90, long p99, long p999, long max) {

        static String millis(long nanos) {
            return String.format(java.util.Locale.ROOT, "%.2f ms", nanos / 1_000_000.0);
        }
    }
}
