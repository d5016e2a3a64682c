package io.herald.membership;

/** Implemented by members that hold client connections; the count goes into their Lease. */
public interface ConnectionCount {

    int connections();
}
