package io.herald.gateway.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import io.herald.streams.Position;

class SigninStartTest {

    private static final Position CURRENT = new Position("e", 50);

    @Test
    void aKnownDeviceStartsAfterWhatItAcknowledgedUnlessTheClientSawMoreOfTheSameEpoch() {
        DeviceAck acked = new DeviceAck("e", 20, 1);
        assertEquals(new Position("e", 20), SigninStart.of(acked, CURRENT, null));
        assertEquals(new Position("e", 30), SigninStart.of(acked, CURRENT, new Position("e", 30)));
        assertEquals(new Position("e", 20), SigninStart.of(acked, CURRENT, new Position("e", 10)));
        assertEquals(new Position("e", 20), SigninStart.of(acked, CURRENT, new Position("other", 99)));
    }

    @Test
    void aDeviceNeverSeenStartsAtTheCurrentPositionSoNothingOlderIsReplayed() {
        assertEquals(CURRENT, SigninStart.of(null, CURRENT, null));
        assertNull(SigninStart.of(null, null, null), "no position yet: the stream's position when the request is routed");
    }

    @Test
    void aDeviceSeenBeforeItsStreamHadAPositionGetsTheWholeEpochBegunSince() {
        assertEquals(new Position("e", 0), SigninStart.of(DeviceAck.seen(1), CURRENT, null));
    }
}
