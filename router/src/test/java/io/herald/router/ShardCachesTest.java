package io.herald.router;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ShardCachesTest {

    private static final Map<Integer, Map<String, String>> CACHED = Map.of(1, Map.of("a", "x", "b", "y"));

    @Test
    void keysThatAreAllCachedNeedNoRead() {
        assertTrue(ShardCaches.covers(CACHED, Map.of(1, Set.of("a", "b")), 10));
        assertTrue(ShardCaches.covers(CACHED, Map.of(2, Set.of()), 10));
    }

    @Test
    void aKeyNotCachedOrAShardNeverLoadedNeedsARead() {
        assertFalse(ShardCaches.covers(CACHED, Map.of(1, Set.of("a", "c")), 10));
        assertFalse(ShardCaches.covers(CACHED, Map.of(2, Set.of("a")), 10));
    }

    @Test
    void aCacheAboutToStartOverNeedsARereadOfEverything() {
        assertFalse(ShardCaches.covers(CACHED, Map.of(1, Set.of("a", "b")), 3));
    }
}
