package io.herald.streams;

import java.nio.charset.StandardCharsets;

/**
 * Maps a channel to one of a fixed number of shards. The function must never change: gateways
 * and routers of different versions have to agree on it, and a channel that moved shard would
 * lose its single sequencer. FNV-1a 64 over the UTF-8 bytes of {@code app + ":" + channel}.
 */
public final class ShardHash {

    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private ShardHash() {
    }

    public static int shardOf(String app, String channel, int shardCount) {
        long hash = FNV_OFFSET_BASIS;
        hash = mix(hash, app.getBytes(StandardCharsets.UTF_8));
        hash = mix(hash, new byte[] {':'});
        hash = mix(hash, channel.getBytes(StandardCharsets.UTF_8));
        return (int) Long.remainderUnsigned(hash, shardCount);
    }

    private static long mix(long hash, byte[] bytes) {
        for (byte b : bytes) {
            hash ^= (b & 0xff);
            hash *= FNV_PRIME;
        }
        return hash;
    }
}
