package io.herald.operator.members;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.herald.contract.Rendezvous;
import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.PushClusterStatus.ShardOwner;

class ShardOwnersTest {

    @Test
    void everyShardIsCountedOnceForTheRouterProcessThatOwnsItAndShownByItsPod() {
        List<Lease> routers = List.of(router("push-router-b", "push-router-b@7f3c"), router("push-router-a", "push-router-a@19e2"),
                router("push-router-c", "push-router-c@a001"));
        // Routers hash over the holder identities of each other's Leases, never the Lease names.
        List<String> holders = List.of("push-router-b@7f3c", "push-router-a@19e2", "push-router-c@a001");
        Map<String, Integer> counts = counts(ShardOwners.of(routers, 64));
        assertEquals(List.of("push-router-a", "push-router-b", "push-router-c"), List.copyOf(counts.keySet()), "in pod order");
        assertEquals(64, counts.values().stream().mapToInt(Integer::intValue).sum());
        counts.values().forEach(count -> assertTrue(count >= 10, "roughly even: " + counts));
        for (String holder : holders) {
            long owned = IntStream.range(0, 64).filter(shard -> holder.equals(Rendezvous.owner(shard, holders))).count();
            assertEquals(owned, (long) counts.get(holder.substring(0, holder.indexOf('@'))), "the routers' own assignment");
        }
    }

    @Test
    void aRouterWithoutShardsIsStillListedAndNoRoutersOwnNothing() {
        assertEquals(Map.of("only", 0), counts(ShardOwners.of(List.of(router("only", "only@1")), 0)));
        assertEquals(List.of(), ShardOwners.of(List.of(), 64));
    }

    private static Lease router(String pod, String holder) {
        Lease lease = TestClusters.podLease("team", "push", pod, "router", 0);
        lease.getSpec().setHolderIdentity(holder);
        return lease;
    }

    private static Map<String, Integer> counts(List<ShardOwner> owners) {
        return owners.stream().collect(Collectors.toMap(owner -> owner.router, owner -> owner.shards, (a, b) -> a,
                LinkedHashMap::new));
    }
}
