package io.herald.operator.members;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.herald.contract.Rendezvous;
import io.herald.operator.crd.v1alpha1.PushClusterStatus.ShardOwner;

/**
 * How a cluster's shards divide among its live routers, computed the way the routers compute it:
 * rendezvous hashing over the holder identities of their Leases ({@code <pod>@<incarnation>}, new
 * with each process), not the Lease names. Each owner is shown by its Lease name, the pod's.
 */
public final class ShardOwners {

    private ShardOwners() {
    }

    /** Every live router, in pod name order, with the number of shards it owns (possibly none). */
    public static List<ShardOwner> of(Collection<Lease> liveRouterLeases, int shards) {
        Map<String, String> podByHolder = new HashMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        liveRouterLeases.forEach(lease -> {
            podByHolder.put(lease.getSpec().getHolderIdentity(), lease.getMetadata().getName());
            counts.put(lease.getMetadata().getName(), 0);
        });
        for (int shard = 0; shard < shards; shard++) {
            String owner = Rendezvous.owner(shard, podByHolder.keySet());
            if (owner != null) {
                counts.merge(podByHolder.get(owner), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().map(entry -> new ShardOwner(entry.getKey(), entry.getValue())).toList();
    }
}
