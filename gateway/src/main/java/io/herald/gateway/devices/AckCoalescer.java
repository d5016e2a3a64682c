package io.herald.gateway.devices;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Acknowledgements waiting to be written, at most one per device: a client acknowledges every
 * event it processes, and a burst of them must cost one Redis write per device per flush, not
 * one per frame. Merging keeps what the Redis script would keep, so nothing is lost by it.
 */
final class AckCoalescer {

    /** A user's device in an app. */
    record DeviceKey(String app, String userId, String device) {
    }

    private final Map<DeviceKey, DeviceAck> pending = new ConcurrentHashMap<>();

    void add(DeviceKey key, DeviceAck ack) {
        pending.merge(key, ack, DeviceAck::then);
    }

    /** Takes every waiting ack out; an ack added meanwhile stays for the next drain. */
    Map<DeviceKey, DeviceAck> drain() {
        Map<DeviceKey, DeviceAck> drained = new HashMap<>();
        for (DeviceKey key : pending.keySet()) {
            DeviceAck ack = pending.remove(key);
            if (ack != null) {
                drained.put(key, ack);
            }
        }
        return drained;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }
}
