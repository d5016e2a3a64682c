package io.herald.router.routing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.herald.local.LocalRedis;
import io.herald.membership.LeaseSettings;
import io.herald.membership.OwnLease;
import io.herald.membership.PeerView;
import io.herald.membership.Role;
import io.herald.membership.Ticker;
import io.herald.router.ownership.ShardOwnership;
import io.herald.streams.StreamLayout;

/**
 * A router that can no longer reach the API server stops acting on its shards before a peer
 * takes them over, and whatever it still tries to write afterwards is refused by the epoch fence.
 * Real Redis, the Fabric8 API server in CRUD mode, real time with 3 s Leases; router A reaches the
 * API server through a proxy the test cuts.
 */
class RouterFencingTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final int SHARDS = 8;
    private static final String NS = "herald";

    private LocalRedis localRedis;
    private RedissonClient redis;
    private KubernetesMockServer apiServer;
    private TcpProxy proxy;
    private KubernetesClient clientA;
    private KubernetesClient clientB;
    private final ScheduledExecutorService renewals = Executors.newScheduledThreadPool(2);
    private final StreamLayout layout = new StreamLayout("fence");

    @BeforeEach
    void start() throws Exception {
        localRedis = LocalRedis.start();
        Config config = new Config();
        config.useSingleServer().setAddress(localRedis.url());
        redis = Redisson.create(config);
        apiServer = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        apiServer.init();
        proxy = new TcpProxy(apiServer.getPort());
        clientA = apiServer.createClient(builder -> builder.editOrNewConfig()
                .withMasterUrl("http://127.0.0.1:" + proxy.port()).withRequestTimeout(1000).withConnectionTimeout(1000)
                .withRequestRetryBackoffLimit(0).endConfig());
        clientB = apiServer.createClient();
    }

    @AfterEach
    void stop() {
        renewals.shutdownNow();
        proxy.close();
        clientA.close();
        clientB.close();
        apiServer.destroy();
        redis.shutdown();
        localRedis.close();
    }

    private OwnLease keepLease(KubernetesClient client, String name) {
        OwnLease lease = new OwnLease(client, new LeaseSettings(NS, "fence", Role.ROUTER, name, name, LEASE, Optional.empty()),
                Ticker.SYSTEM, null);
        assertTrue(lease.renew());
        long interval = LEASE.dividedBy(3).toMillis();
        renewals.scheduleWithFixedDelay(lease::renew, interval, interval, TimeUnit.MILLISECONDS);
        return lease;
    }

    @Test
    void aRouterCutOffFromTheApiServerStopsBeforeItsPeerTakesOverAndCannotWriteAfterwards() {
        OwnLease leaseA = keepLease(clientA, "router-a");
        ShardOwnership routerA = new ShardOwnership(redis, layout, "router-a", SHARDS);
        routerA.reconcile(leaseA.isHeld(), Set.of("router-a"), name -> false);
        assertEquals(SHARDS, routerA.epochs().size());
        Map<Integer, Long> epochsOfA = Map.copyOf(routerA.epochs());

        OwnLease leaseB = keepLease(clientB, "router-b");
        PeerView viewB = new PeerView(clientB, NS, "fence", Ticker.SYSTEM);
        viewB.start();
        ShardOwnership routerB = new ShardOwnership(redis, layout, "router-b", SHARDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> viewB.isAlive("router-a"));
        routerB.reconcile(leaseB.isHeld(), live(viewB, leaseB), viewB::isAlive);
        assertEquals(Map.of(), routerB.epochs(), "B waits: A is alive and holds every shard");

        proxy.cut();
        long cutAt = System.nanoTime();
        AtomicLong aStoppedAt = new AtomicLong();
        AtomicLong bTookOverAt = new AtomicLong();
        await().atMost(LEASE.multipliedBy(3)).pollInterval(Duration.ofMillis(50)).until(() -> {
            routerA.reconcile(leaseA.isHeld(), Set.of("router-a"), name -> false);
            if (routerA.epochs().isEmpty()) {
                aStoppedAt.compareAndSet(0, System.nanoTime());
            }
            routerB.reconcile(leaseB.isHeld(), live(viewB, leaseB), viewB::isAlive);
            if (!routerB.epochs().isEmpty()) {
                bTookOverAt.compareAndSet(0, System.nanoTime());
            }
            return routerB.epochs().size() == SHARDS;
        });
        viewB.close();

        assertTrue(aStoppedAt.get() != 0 && aStoppedAt.get() < bTookOverAt.get(),
                "A must stop acting before B takes over");
        System.out.printf("A stopped %d ms after the cut; B took over %d ms after the cut%n",
                (aStoppedAt.get() - cutAt) / 1_000_000, (bTookOverAt.get() - cutAt) / 1_000_000);

        FencedWrites late = new FencedWrites(layout);
        for (int shard = 0; shard < SHARDS; shard++) {
            late.deliver(shard, layout.inbox("gw-x", 0), 1000, Map.of("channel", "c", "data", "from A"));
            late.addInterest(shard, layout.interest("1", "c" + shard), "gw-x");
        }
        assertEquals(allShards(), late.execute(redis, "router-a", epochsOfA), "every write of A is refused");
        assertEquals(0, redis.getStream(layout.inbox("gw-x", 0), StringCodec.INSTANCE).size());
        assertEquals(0, redis.getSet(layout.interest("1", "c0")).size());

        FencedWrites current = new FencedWrites(layout);
        current.deliver(0, layout.inbox("gw-x", 0), 1000, Map.of("channel", "c", "data", "from B"));
        assertEquals(Set.of(), current.execute(redis, "router-b", routerB.epochs()));
        assertEquals(1, redis.getStream(layout.inbox("gw-x", 0), StringCodec.INSTANCE).size());
    }

    private static Set<String> live(PeerView view, OwnLease own) {
        Set<String> live = new TreeSet<>(view.alive(Role.ROUTER));
        if (own.isHeld()) {
            live.add(own.settings().name());
        }
        return live;
    }

    private static Set<Integer> allShards() {
        Set<Integer> shards = new TreeSet<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            shards.add(shard);
        }
        return shards;
    }
}
