package io.herald.router.ownership;

import java.time.Duration;

/**
 * When to look again at a consumer's pending entries for ones that no read of its returned.
 *
 * <p>A blocking {@code XREADGROUP} can take entries whose answer its caller never sees. Redisson
 * re-sends a blocking command on the connection it re-establishes after a drop and hands the
 * caller the second run's answer, although Redis may have run the first just before it died
 * (and kept its effect in the append-only file); and a command queued behind a paused Redis runs
 * when the pause ends, long after the client timed out. Such an orphaned read moves entries into
 * this consumer's pending list and its answer goes nowhere, so those entries would wait there
 * until the next failure: acknowledged publications silently held back. Seen in the fault suite:
 * one publication in 700, sent 0.1 s after Redis was killed, delivered only at the next fault.
 *
 * <p>So after a failure or a dropped connection ({@code RedisDisconnects}), for {@link #WINDOW}, every read of new entries is followed by a read of
 * everything pending, which hands the orphaned entries over in stream order with the new ones; when
 * the window closes, and every {@link #CHECK_INTERVAL} besides, all pending entries are read again
 * as a backstop for orphans that came later. Pure timekeeping, on the caller's clock (nanoseconds).
 */
public final class OrphanedReads {

    /**
     * How long after a failure an orphaned read may still take entries: a re-sent read blocks at
     * most a read's timeout, a command queued behind {@code CLIENT PAUSE} runs when the pause ends.
     */
    public static final Duration WINDOW = Duration.ofSeconds(10);
    /** How often pending entries are read again outside the window: the delay of an orphan that came later. */
    public static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);

    private long windowEnds;
    private boolean windowOpen;
    private long checkedAt;

    public OrphanedReads(long now) {
        checkedAt = now;
    }

    /** A command failed or a connection dropped: reads issued before may have run, or may still run, unseen. */
    public void interrupted(long now) {
        windowEnds = now + WINDOW.toNanos();
        windowOpen = true;
    }

    /** Whether a read of new entries must be followed by a read of everything pending. */
    public boolean suspect(long now) {
        return windowOpen && now - windowEnds < 0;
    }

    /** Whether to read every pending entry again now: when the window just closed, and every {@link #CHECK_INTERVAL}. */
    public boolean checkDue(long now) {
        if (checkWanted(now)) {
            windowOpen = windowOpen && now - windowEnds < 0;
            checkedAt = now;
            return true;
        }
        return false;
    }

    /** Whether {@link #checkDue} would answer true now, without starting the check. */
    public boolean checkWanted(long now) {
        return (windowOpen && now - windowEnds >= 0) || now - checkedAt >= CHECK_INTERVAL.toNanos();
    }
}
