package io.herald.operator.members;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.herald.contract.Rendezvous;
import io.herald.operator.crd.v1alpha1.PushClusterStatus.ShardOwner;

class ShardOwnersTest {

    @Test
    void everyShardIsCountedOnceForTheRouterThatOwnsIt() {
        List<String> routers = List.of("push-router-b", "push-router-a", "push-router-c");
        Map<String, Integer> counts = counts(ShardOwners.of(routers, 64));
        assertEquals(List.of("push-router-a", "push-router-b", "push-router-c"), List.copyOf(counts.keySet()), "in name order");
        assertEquals(64, counts.values().stream().mapToInt(Integer::intValue).sum());
        counts.values().forEach(count -> assertTrue(count >= 10, "roughly even: " + counts));
        long ownedByA = IntStream.range(0, 64)
                .filter(shard -> "push-router-a".equals(Rendezvous.owner(shard, routers))).count();
        assertEquals(ownedByA, (long) counts.get("push-router-a"), "the routers' own assignment");
    }

    @Test
    void aRouterWithoutShardsIsStillListedAndNoRoutersOwnNothing() {
        assertEquals(Map.of("only", 0), counts(ShardOwners.of(List.of("only"), 0)));
        assertEquals(List.of(), ShardOwners.of(List.of(), 64));
    }

    private static Map<String, Integer> counts(List<ShardOwner> owners) {
        return owners.stream().collect(Collectors.toMap(owner -> owner.router, owner -> owner.shards, (a, b) -> a,
                LinkedHashMap::new));
    }
}
