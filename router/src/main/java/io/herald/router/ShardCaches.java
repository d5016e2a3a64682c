package io.herald.router;

import java.util.Map;
import java.util.Set;

/**
 * The rule the router's per-shard caches share for when a load reads nothing from Redis: every
 * key is cached, and the shard's cache is not about to start over (past its bound, a load clears
 * it and reads every key again). A batch routed on the Redis client's event loop must not read:
 * a blocking call there would wait for the thread that is making it.
 */
public final class ShardCaches {

    private ShardCaches() {
    }

    public static <K> boolean covers(Map<Integer, ? extends Map<K, ?>> cacheByShard, Map<Integer, Set<K>> keysByShard,
            int maxPerShard) {
        for (Map.Entry<Integer, Set<K>> wanted : keysByShard.entrySet()) {
            Map<K, ?> cached = cacheByShard.get(wanted.getKey());
            if (wanted.getValue().isEmpty()) {
                continue;
            }
            if (cached == null || cached.size() + wanted.getValue().size() > maxPerShard
                    || !cached.keySet().containsAll(wanted.getValue())) {
                return false;
            }
        }
        return true;
    }
}
