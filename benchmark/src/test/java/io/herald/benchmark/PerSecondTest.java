package io.herald.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class PerSecondTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /** nanoTime's origin is arbitrary and may be negative; the buckets must not care. */
    private static final long ORIGIN = -5_000 * MS;

    private static long[] at(long... millisAfterOrigin) {
        long[] moments = new long[millisAfterOrigin.length];
        for (int i = 0; i < moments.length; i++) {
            moments[i] = millisAfterOrigin[i] == PerSecond.NONE ? PerSecond.NONE : ORIGIN + millisAfterOrigin[i] * MS;
        }
        return moments;
    }

    @Test
    void spreadMomentsFillOneBucketASecond() {
        long[] millis = new long[90];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = 50 + i * 100;
        }
        PerSecond rate = PerSecond.of(ORIGIN, at(millis));
        assertEquals(90, rate.total());
        assertEquals(9, rate.seconds());
        assertEquals(10, rate.max());
        assertEquals(90 / 8.9, rate.mean(), 1e-9);
        assertEquals(50 * MS, rate.firstNanos());
        assertEquals(8_950 * MS, rate.lastNanos());
        assertEquals(10, rate.in(0));
        assertEquals(10, rate.in(8));
        assertEquals(0, rate.in(9));
    }

    @Test
    void aBurstIsAllOfItInOneSecond() {
        PerSecond rate = PerSecond.of(ORIGIN, at(1_200, 1_200, 1_201, 1_250));
        assertEquals(4, rate.max());
        assertEquals(4, rate.mean(), 1e-9);
        assertEquals(0, rate.in(0));
        assertEquals(4, rate.in(1));
    }

    @Test
    void theMeanRunsFromTheFirstMomentToTheLast() {
        PerSecond rate = PerSecond.of(ORIGIN, at(3_100, 3_900, 4_500, 5_100));
        assertEquals(6, rate.seconds());
        assertEquals(2, rate.max());
        assertEquals(2, rate.mean(), 1e-9);
    }

    @Test
    void momentsThatDidNotHappenOrCameBeforeTheOriginAreLeftOut() {
        PerSecond rate = PerSecond.of(ORIGIN, at(PerSecond.NONE, -1, 500, PerSecond.NONE));
        assertEquals(1, rate.total());
        assertEquals(1, rate.seconds());
        assertEquals(500 * MS, rate.firstNanos());
    }

    @Test
    void nothingAtAllIsAllZero() {
        PerSecond rate = PerSecond.of(ORIGIN, at(PerSecond.NONE, PerSecond.NONE));
        assertEquals(0, rate.total());
        assertEquals(0, rate.seconds());
        assertEquals(0, rate.max());
        assertEquals(0, rate.mean());
        assertEquals(0, rate.in(3));
    }
}
