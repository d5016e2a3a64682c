package io.herald.gateway.devices;

/**
 * What a device of a user acknowledged of the user's personal stream, and when: {@code epoch}
 * empty means the device was seen but has no position yet (its user's stream had none).
 */
public record DeviceAck(String epoch, long offset, long seenMillis) {

    /** Seen, nothing acknowledged. */
    static DeviceAck seen(long seenMillis) {
        return new DeviceAck("", 0, seenMillis);
    }

    boolean hasPosition() {
        return !epoch.isEmpty();
    }

    /**
     * This ack followed by a later one of the same device, as the Redis script applies them: a
     * device only moves forward within an epoch; a new epoch (the stream's history was lost)
     * replaces the old; an ack without a position only refreshes the last-seen time.
     */
    DeviceAck then(DeviceAck later) {
        long seen = Math.max(seenMillis, later.seenMillis);
        if (!later.hasPosition() || (epoch.equals(later.epoch) && offset >= later.offset)) {
            return new DeviceAck(epoch, offset, seen);
        }
        return new DeviceAck(later.epoch, later.offset, seen);
    }
}
