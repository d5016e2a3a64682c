package io.herald.benchmark;

import java.util.function.BooleanSupplier;

import io.herald.local.Pause;

/** Bounded waiting for the orchestrating thread; the work itself happens on event loops. */
final class Waits {

    private Waits() {
    }

    static void sleep(long millis) {
        Pause.sleep(millis);
    }

    /** Waits until the condition holds or the time is up; answers whether it holds. */
    static boolean until(BooleanSupplier condition, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            sleep(50);
        }
        return true;
    }
}
