package io.herald.streams;

import java.nio.charset.StandardCharsets;

/**
 * The hash slot Redis Cluster gives a key: CRC16 (XMODEM) of the key's hash tag, the part between
 * its first {@code {}} and the next {@code }}} when that part is non-empty, else of the whole key,
 * modulo 16384. {@link StreamLayout} uses it to pick hash tags that spread slot groups evenly over
 * the slot space, and so over the primaries, which own contiguous ranges of it.
 */
public final class RedisSlots {

    /** The number of hash slots of a Redis Cluster. */
    public static final int SLOTS = 16384;

    private RedisSlots() {
    }

    public static int slotOf(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                bytes = key.substring(open + 1, close).getBytes(StandardCharsets.UTF_8);
            }
        }
        return crc16(bytes) % SLOTS;
    }

    static int crc16(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc ^= (b & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xffff;
        }
        return crc;
    }
}
