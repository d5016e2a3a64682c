package io.herald.gateway.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InboxLagTest {

    @Test
    void aGatewayIsOverloadedOnceItsOldestUnreadDeliveryIsOlderThanTheLimit() {
        InboxLag lag = new InboxLag(2000);
        lag.read(10_000, 11_500);
        assertEquals(1500, lag.lagMillis());
        assertFalse(lag.overloaded());
        lag.read(10_000, 12_001);
        assertTrue(lag.overloaded());
    }

    @Test
    void itStaysOverloadedUntilTheLagIsBackUnderHalfTheLimit() {
        InboxLag lag = new InboxLag(2000);
        lag.read(10_000, 13_000);
        lag.read(10_000, 11_500);
        assertTrue(lag.overloaded(), "1.5 s behind is still too close to the limit to admit clients again");
        lag.read(10_000, 11_000);
        assertFalse(lag.overloaded());
    }

    @Test
    void anEmptyReadMeansNoLag() {
        InboxLag lag = new InboxLag(2000);
        lag.read(10_000, 13_000);
        lag.read(0, 20_000);
        assertEquals(0, lag.lagMillis());
        assertFalse(lag.overloaded());
    }

    @Test
    void aRedisClockAheadOfTheGatewaysCountsAsNoLag() {
        InboxLag lag = new InboxLag(2000);
        lag.read(15_000, 10_000);
        assertEquals(0, lag.lagMillis());
    }

    @Test
    void aLimitOfZeroNeverOverloads() {
        InboxLag lag = new InboxLag(0);
        lag.read(1, 1_000_000);
        assertFalse(lag.overloaded());
        assertEquals(999_999, lag.lagMillis());
    }
}
