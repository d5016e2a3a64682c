package io.herald.membership;

/** A monotonic clock; tests replace it to expire Leases without waiting. */
@FunctionalInterface
public interface Ticker {

    Ticker SYSTEM = System::nanoTime;

    long nanoTime();
}
