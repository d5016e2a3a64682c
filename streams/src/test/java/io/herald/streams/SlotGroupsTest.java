package io.herald.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The key layout's hash tags, with slots computed here as Redis Cluster computes them: every key
 * a shard's fenced script touches lands in one slot, a channel's keys land in its shard's slot, a
 * gateway's inbox per group in that group's slot, and the groups spread over the slot space.
 */
class SlotGroupsTest {

    private final StreamLayout layout = new StreamLayout("herald", Optional.of("team-a"), 64, 6);

    @Test
    void slotsAreTheOnesRedisClusterComputes() {
        // CLUSTER KEYSLOT answers, from a Redis 7 cluster node.
        assertEquals(12182, RedisSlots.slotOf("foo"));
        assertEquals(5061, RedisSlots.slotOf("bar"));
        assertEquals(RedisSlots.slotOf("user1000"), RedisSlots.slotOf("{user1000}.following"));
        assertEquals(RedisSlots.crc16("foo{}{bar}".getBytes()) % RedisSlots.SLOTS, RedisSlots.slotOf("foo{}{bar}"),
                "an empty tag hashes the whole key");
        assertEquals(0x31C3, RedisSlots.crc16("123456789".getBytes()));
    }

    @Test
    void everyKeyAShardsScriptTouchesHashesToTheShardsSlot() {
        for (int shard = 0; shard < 64; shard++) {
            int slot = RedisSlots.slotOf(layout.shardOwner(shard));
            Set<Integer> slots = new HashSet<>();
            for (String key : List.of(layout.shardStream(shard), layout.gatewayInterest("gateway-1@ab12cd", shard),
                    layout.gatewayPresence("gateway-1@ab12cd", shard), layout.archive(shard),
                    layout.inboxOfShard("gateway-2@ffffff", shard), layout.webhooks(layout.groupOf(shard)))) {
                slots.add(RedisSlots.slotOf(key));
            }
            assertEquals(Set.of(slot), slots, "shard " + shard);
        }
    }

    @Test
    void aChannelsKeysHashToItsShardsSlot() {
        for (int i = 0; i < 500; i++) {
            String channel = "presence-room-" + i;
            int shard = ShardHash.shardOf("app-1", channel, 64);
            int slot = RedisSlots.slotOf(layout.shardOwner(shard));
            for (String key : List.of(layout.interest("app-1", channel), layout.presence("app-1", channel),
                    layout.cache("app-1", channel), layout.subscriptions("app-1", channel), layout.position("app-1", channel),
                    layout.history("app-1", channel), layout.persistentSubscribers("app-1", channel),
                    layout.userSubscriptions("app-1", "user-{odd}", layout.groupOf("app-1", channel)))) {
                assertEquals(slot, RedisSlots.slotOf(key), key);
            }
        }
    }

    @Test
    void theGroupsSpreadEvenlyOverTheSlotSpaceSoOverPrimariesWithContiguousRanges() {
        for (int groups : List.of(1, 2, 3, 6, 12)) {
            StreamLayout spread = new StreamLayout("c", Optional.empty(), 64, groups);
            for (int group = 0; group < groups; group++) {
                int slot = RedisSlots.slotOf(spread.inbox("g", group));
                assertTrue(slot >= group * RedisSlots.SLOTS / groups && slot < (group + 1) * RedisSlots.SLOTS / groups,
                        "group " + group + " of " + groups + " is in slot " + slot);
            }
        }
    }

    @Test
    void shardsMapOntoGroupsRoundRobinAndOneGroupIsOneSlot() {
        assertEquals(0, layout.groupOf(0));
        assertEquals(5, layout.groupOf(5));
        assertEquals(0, layout.groupOf(6));
        StreamLayout single = new StreamLayout("local");
        Set<Integer> slots = new HashSet<>();
        for (int shard = 0; shard < 64; shard++) {
            slots.add(RedisSlots.slotOf(single.shardStream(shard)));
            slots.add(RedisSlots.slotOf(single.interest("app", "chat-" + shard)));
        }
        assertEquals(1, slots.size(), "one Redis: every shard's keys in one slot group");
    }

    @Test
    void moreGroupsThanShardsOrABraceInTheClusterNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StreamLayout("c", Optional.empty(), 4, 5));
        assertThrows(IllegalArgumentException.class, () -> new StreamLayout("c", Optional.empty(), 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new StreamLayout("a{b}", Optional.empty()));
    }
}
