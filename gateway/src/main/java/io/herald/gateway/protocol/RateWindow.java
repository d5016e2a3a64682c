package io.herald.gateway.protocol;

/**
 * Counts events in one-second windows, for per-connection rate limits. No timer: the window
 * rolls over when the next event arrives.
 */
final class RateWindow {

    private long windowStartMillis;
    private int count;

    /** @return whether one more event fits in the current second */
    synchronized boolean tryAcquire(long nowMillis, int perSecond) {
        if (nowMillis - windowStartMillis >= 1000) {
            windowStartMillis = nowMillis;
            count = 0;
        }
        if (count >= perSecond) {
            return false;
        }
        count++;
        return true;
    }
}
