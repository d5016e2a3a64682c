package io.herald.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Which shards a gateway measures the backlog of: those its publishers asked about lately. */
class ShardBacklogShardsTest {

    private static final long NOW = 1_000_000;

    @Test
    void noShardIsMeasuredWhileNobodyPublishes() {
        assertEquals(List.of(), ShardBacklog.toMeasure(new AtomicLongArray(64), NOW, 1));
    }

    @Test
    void aShardIsMeasuredWhileItsLastQuestionIsRecentAndNoLonger() {
        AtomicLongArray askedAt = new AtomicLongArray(64);
        askedAt.set(3, NOW - ShardBacklog.ASKED_WITHIN_MILLIS);
        askedAt.set(9, NOW - ShardBacklog.ASKED_WITHIN_MILLIS - 1);
        askedAt.set(40, NOW);
        assertEquals(List.of(List.of(3, 40)), ShardBacklog.toMeasure(askedAt, NOW, 1));
    }

    @Test
    void eachScriptHoldsOneSlotGroupsShardsAndAtMostItsLimit() {
        int shards = 1024;
        AtomicLongArray askedAt = new AtomicLongArray(shards);
        IntStream.range(0, shards).forEach(shard -> askedAt.set(shard, NOW));
        List<List<Integer>> chunks = ShardBacklog.toMeasure(askedAt, NOW, 2);
        assertEquals(List.of(256, 256, 256, 256), chunks.stream().map(List::size).toList());
        for (List<Integer> chunk : chunks) {
            int group = chunk.get(0) % 2;
            assertEquals(List.of(), chunk.stream().filter(shard -> shard % 2 != group).toList(), "one slot group per script");
        }
    }
}
