package io.herald.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void percentilesOfOneToAThousandMilliseconds() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int ms = 1000; ms >= 1; ms--) {
            recorder.record(ms * MS);
        }
        LatencyRecorder.LatencySummary summary = recorder.summary();
        assertEquals(1000, summary.count());
        // Three significant digits: within 0.1 % of the exact value.
        assertEquals(500 * MS, summary.p50(), 500 * MS / 1000.0);
        assertEquals(990 * MS, summary.p99(), 990 * MS / 1000.0);
        assertEquals(1000 * MS, summary.max(), 1000 * MS / 1000.0);
    }

    @Test
    void oneSlowDeliveryIsTheMaximumButNotTheP99() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 0; i < 999; i++) {
            recorder.record(2 * MS);
        }
        recorder.record(3_000 * MS);
        LatencyRecorder.LatencySummary summary = recorder.summary();
        assertEquals(2 * MS, summary.p99(), 2 * MS / 1000.0);
        assertEquals(3_000 * MS, summary.max(), 3_000 * MS / 1000.0);
    }

    @Test
    void nothingRecordedIsAllZero() {
        LatencyRecorder.LatencySummary summary = new LatencyRecorder().summary();
        assertEquals(0, summary.count());
        assertEquals(0, summary.p99());
    }

    @Test
    void negativeAndHugeValuesAreClampedNotLost() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(-5);
        recorder.record(TimeUnit.DAYS.toNanos(2));
        assertEquals(2, recorder.summary().count());
    }
}
