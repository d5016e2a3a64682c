package io.herald.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ShardHashTest {

    @Test
    void isFixedForeverBecauseGatewaysAndRoutersOfAnyVersionMustAgree() {
        // Pinned values, computed independently (FNV-1a 64 of "1:my-channel" mod 64): a change here moves channels between shards in running clusters.
        assertEquals(10, ShardHash.shardOf("1", "my-channel", 64));
        assertEquals(53, ShardHash.shardOf("1", "presence-room", 64));
        assertEquals(0, ShardHash.shardOf("app", "x", 1));
    }

    @Test
    void separatesAppsWithTheSameChannelName() {
        Set<Integer> shards = new HashSet<>();
        for (int app = 0; app < 50; app++) {
            shards.add(ShardHash.shardOf(Integer.toString(app), "chat", 64));
        }
        assertTrue(shards.size() > 20, "50 apps' 'chat' channels landed on only " + shards.size() + " shards");
    }

    @Test
    void spreadsChannelsEvenly() {
        int[] counts = new int[64];
        for (int i = 0; i < 64_000; i++) {
            counts[ShardHash.shardOf("1", "channel-" + i, 64)]++;
        }
        for (int count : counts) {
            assertTrue(count > 800 && count < 1200, "a shard got " + count + " of 64000 channels");
        }
    }
}
