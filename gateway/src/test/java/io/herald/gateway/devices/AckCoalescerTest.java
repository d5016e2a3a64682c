package io.herald.gateway.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herald.gateway.devices.AckCoalescer.DeviceKey;

class AckCoalescerTest {

    private static final DeviceKey PHONE = new DeviceKey("1", "ann", "phone");
    private static final DeviceKey LAPTOP = new DeviceKey("1", "ann", "laptop");

    @Test
    void aBurstOfAcksOfOneDeviceLeavesOneWriteWithTheHighestOffsetAndTheLatestSeenTime() {
        AckCoalescer coalescer = new AckCoalescer();
        for (int offset = 1; offset <= 100; offset++) {
            coalescer.add(PHONE, new DeviceAck("e", offset, 1000 + offset));
        }
        coalescer.add(PHONE, new DeviceAck("e", 40, 2000));
        coalescer.add(LAPTOP, new DeviceAck("e", 3, 1500));

        Map<DeviceKey, DeviceAck> drained = coalescer.drain();

        assertEquals(Map.of(PHONE, new DeviceAck("e", 100, 2000), LAPTOP, new DeviceAck("e", 3, 1500)), drained,
                "an ack arriving late never moves the device back");
        assertTrue(coalescer.isEmpty(), "drained acks are not written twice");
    }

    @Test
    void aNewEpochReplacesTheOldPositionAndASignInWithoutPositionOnlyRefreshesTheSeenTime() {
        AckCoalescer coalescer = new AckCoalescer();
        coalescer.add(PHONE, new DeviceAck("old", 900, 1));
        coalescer.add(PHONE, new DeviceAck("new", 2, 2));
        coalescer.add(PHONE, DeviceAck.seen(3));

        assertEquals(new DeviceAck("new", 2, 3), coalescer.drain().get(PHONE));
    }
}
