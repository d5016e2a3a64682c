package io.herald.operator.members;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.herald.contract.Rendezvous;
import io.herald.operator.crd.v1alpha1.PushClusterStatus.ShardOwner;

/** How a cluster's shards divide among its live routers, computed the way the routers compute it. */
public final class ShardOwners {

    private ShardOwners() {
    }

    /** Every live router, in name order, with the number of shards it owns (possibly none). */
    public static List<ShardOwner> of(Collection<String> liveRouters, int shards) {
        Map<String, Integer> counts = new TreeMap<>();
        liveRouters.forEach(router -> counts.put(router, 0));
        for (int shard = 0; shard < shards; shard++) {
            String owner = Rendezvous.owner(shard, liveRouters);
            if (owner != null) {
                counts.merge(owner, 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().map(entry -> new ShardOwner(entry.getKey(), entry.getValue())).toList();
    }
}
