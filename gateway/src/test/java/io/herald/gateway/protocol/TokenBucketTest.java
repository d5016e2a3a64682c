package io.herald.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void aNewBucketAllowsItsBurstAtOnceThenRefillsAtTheRate() {
        TokenBucket bucket = new TokenBucket();
        for (int i = 0; i < 128; i++) {
            assertTrue(bucket.tryAcquire(1_000, 10, 128), "event " + i + " of the burst");
        }
        assertFalse(bucket.tryAcquire(1_000, 10, 128), "the burst is spent");
        assertFalse(bucket.tryAcquire(1_099, 10, 128), "not a tenth of a second later");
        assertTrue(bucket.tryAcquire(1_100, 10, 128), "one token a tenth of a second later");
        assertFalse(bucket.tryAcquire(1_100, 10, 128));
    }

    @Test
    void anIdleBucketFillsOnlyUpToItsBurst() {
        TokenBucket bucket = new TokenBucket();
        assertTrue(bucket.tryAcquire(0, 10, 3));
        for (int i = 0; i < 3; i++) {
            assertTrue(bucket.tryAcquire(3_600_000, 10, 3));
        }
        assertFalse(bucket.tryAcquire(3_600_000, 10, 3), "an hour idle still gives 3, not 36,000");
    }

    @Test
    void aClockSteppingBackRefillsNothing() {
        TokenBucket bucket = new TokenBucket();
        assertTrue(bucket.tryAcquire(10_000, 10, 1));
        assertFalse(bucket.tryAcquire(5_000, 10, 1));
        assertFalse(bucket.tryAcquire(5_050, 10, 1), "counted from the stepped-back time, half a token");
        assertTrue(bucket.tryAcquire(5_100, 10, 1));
    }
}
