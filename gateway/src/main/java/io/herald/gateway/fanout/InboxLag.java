package io.herald.gateway.fanout;

/**
 * Whether this gateway has fallen behind its inboxes (one per slot group): the age of the oldest
 * entry of each batch it reads, the most behind inbox counting, against a limit. The inbox reader reads a batch only once the previous one is written to
 * the sockets, so a gateway whose event loops cannot keep up shows it here, as lag, rather than as
 * frames piling up in its heap. Past the limit it is overloaded until the lag is back under half
 * of it (so it does not flap at the edge); meanwhile it refuses new connections with 4100, which
 * clients retry after a back-off, usually on another gateway.
 */
public final class InboxLag {

    private final long limitMillis;
    private final long[] lagByInbox;
    private volatile long lagMillis;
    private volatile boolean overloaded;

    /** @param limitMillis the lag past which the gateway is overloaded; 0 or less never is */
    public InboxLag(long limitMillis) {
        this(limitMillis, 1);
    }

    /** For a gateway that reads {@code inboxes} inboxes, one per slot group. */
    public InboxLag(long limitMillis, int inboxes) {
        this.limitMillis = limitMillis;
        this.lagByInbox = new long[inboxes];
    }

    /** A batch was read: {@code oldestMillis} is the Redis time of its oldest entry, 0 when it was empty. */
    public void read(long oldestMillis, long nowMillis) {
        read(0, oldestMillis, nowMillis);
    }

    /** A batch was read from one of the inboxes. */
    public synchronized void read(int inbox, long oldestMillis, long nowMillis) {
        lagByInbox[inbox] = oldestMillis == 0 ? 0 : Math.max(0, nowMillis - oldestMillis);
        long lag = 0;
        for (long each : lagByInbox) {
            lag = Math.max(lag, each);
        }
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
