package io.herald.gateway.protocol;

/**
 * A per-connection rate limit that allows a burst: up to {@code burst} tokens, refilled at
 * {@code perSecond}, one taken per event. A new bucket is full. No timer: the refill is worked out
 * from the time elapsed when the next event asks, so a million idle connections cost nothing.
 */
final class TokenBucket {

    private boolean started;
    private double tokens;
    private long lastMillis;

    /** @return whether one more event fits; if so, it is counted */
    synchronized boolean tryAcquire(long nowMillis, int perSecond, int burst) {
        if (!started) {
            started = true;
            tokens = burst;
        } else {
            // A clock stepping back refills nothing rather than draining the bucket.
            tokens = Math.min(burst, tokens + Math.max(0, nowMillis - lastMillis) * perSecond / 1000.0);
        }
        lastMillis = nowMillis;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
