package io.herald.contract;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Rendezvous (highest random weight) hashing of shards onto routers: every router computes the
 * same owner from the same member list, and when a router leaves only its own shards move. The
 * operator computes the same assignment to report which router owns how many shards.
 */
public final class Rendezvous {

    private Rendezvous() {
    }

    /** @return the router that should own the shard, or null when there is none */
    public static String owner(int shard, Collection<String> routers) {
        String best = null;
        long bestWeight = 0;
        for (String router : routers) {
            long weight = weight(router, shard);
            if (best == null || Long.compareUnsigned(weight, bestWeight) > 0
                    || (weight == bestWeight && router.compareTo(best) < 0)) {
                best = router;
                bestWeight = weight;
            }
        }
        return best;
    }

    static long weight(String router, int shard) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : (router + "/" + shard).getBytes(StandardCharsets.UTF_8)) {
            hash ^= (b & 0xff);
            hash *= 0x100000001b3L;
        }
        // FNV alone clusters on keys that differ in their last bytes; a SplitMix64 finaliser spreads them.
        hash ^= hash >>> 30;
        hash *= 0xbf58476d1ce4e5b9L;
        hash ^= hash >>> 27;
        hash *= 0x94d049bb133111ebL;
        return hash ^ (hash >>> 31);
    }
}
