package io.herald.gateway.fanout;

/**
 * Whether this gateway has fallen behind its inbox: the age of the oldest entry of each batch it
 * reads, against a limit. The inbox reader reads a batch only once the previous one is written to
 * the sockets, so a gateway whose event loops cannot keep up shows it here, as lag, rather than as
 * frames piling up in its heap. Past the limit it is overloaded until the lag is back under half
 * of it (so it does not flap at the edge); meanwhile it refuses new connections with 4100, which
 * clients retry after a back-off, usually on another gateway.
 */
public final class InboxLag {

    private final long limitMillis;
    private volatile long lagMillis;
    private volatile boolean overloaded;

    /** @param limitMillis the lag past which the gateway is overloaded; 0 or less never is */
    public InboxLag(long limitMillis) {
        this.limitMillis = limitMillis;
    }

    /** A batch was read: {@code oldestMillis} is the Redis time of its oldest entry, 0 when it was empty. */
    public void read(long oldestMillis, long nowMillis) {
        long lag = oldestMillis == 0 ? 0 : Math.max(0, nowMillis - oldestMillis);
        lagMillis = lag;
        if (limitMillis <= 0) {
            return;
        }
        if (lag > limitMillis) {
            overloaded = true;
        } else if (lag <= limitMillis / 2) {
            overloaded = false;
        }
    }

    public long lagMillis() {
        return lagMillis;
    }

    public boolean overloaded() {
        return overloaded;
    }

    public long limitMillis() {
        return limitMillis;
    }
}
