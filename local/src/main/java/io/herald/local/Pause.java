package io.herald.local;

/** Sleeping in the launcher, tests and benchmarks, where an interrupt means "stop". */
public final class Pause {

    private Pause() {
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
