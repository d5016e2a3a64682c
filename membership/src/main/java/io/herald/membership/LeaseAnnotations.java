package io.herald.membership;

import java.util.Map;

/**
 * Implemented by parts of a member that report their state to the operator through the member's
 * Lease (a router's archive health, say): their annotations are written with every renewal, so
 * they are at most one renew interval old. Each implementation writes the same keys every time,
 * so a value is overwritten rather than left behind.
 */
public interface LeaseAnnotations {

    Map<String, String> leaseAnnotations();
}
