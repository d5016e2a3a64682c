package io.herald.benchmark;

import java.util.concurrent.TimeUnit;

/**
 * Moments ({@link System#nanoTime()}) counted in one-second buckets from an origin, such as the
 * SIGTERM to a gateway. What a surviving gateway has to absorb is the busiest second, not the
 * average, so the buckets are kept and the maximum is reported next to the mean.
 */
final class PerSecond {

    /** A moment that did not happen (nanoTime may be negative, so 0 is taken). */
    static final long NONE = Long.MIN_VALUE;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final int[] buckets;
    private final int total;
    private final long first;
    private final long last;

    private PerSecond(int[] buckets, int total, long first, long last) {
        this.buckets = buckets;
        this.total = total;
        this.first = first;
        this.last = last;
    }

    /** Moments before the origin are left out: the origin did not cause them. */
    static PerSecond of(long origin, long[] moments) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (long moment : moments) {
            if (moment != NONE && moment - origin >= 0) {
                first = Math.min(first, moment - origin);
                last = Math.max(last, moment - origin);
            }
        }
        if (last < 0) {
            return new PerSecond(new int[0], 0, 0, 0);
        }
        int[] buckets = new int[(int) (last / SECOND) + 1];
        int total = 0;
        for (long moment : moments) {
            if (moment != NONE && moment - origin >= 0) {
                buckets[(int) ((moment - origin) / SECOND)]++;
                total++;
            }
        }
        return new PerSecond(buckets, total, first, last);
    }

    /** Moments at or after the origin. */
    int total() {
        return total;
    }

    /** Nanoseconds from the origin to the first moment; 0 when there was none. */
    long firstNanos() {
        return first;
    }

    long lastNanos() {
        return last;
    }

    /** Seconds from the origin until the bucket of the last moment, inclusive. */
    int seconds() {
        return buckets.length;
    }

    /** Moments in second {@code second} after the origin ({@code [second, second + 1)}); 0 past the end. */
    int in(int second) {
        return second < buckets.length ? buckets[second] : 0;
    }

    int max() {
        int max = 0;
        for (int count : buckets) {
            max = Math.max(max, count);
        }
        return max;
    }

    /**
     * Per second from the first moment to the last; a burst shorter than a second counts as one
     * second, so that it reads as what it is to the busiest second, not as millions per second.
     */
    double mean() {
        if (total == 0) {
            return 0;
        }
        return total / (Math.max(SECOND, last - first) / (double) SECOND);
    }
}
