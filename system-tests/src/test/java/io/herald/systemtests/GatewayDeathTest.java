package io.herald.systemtests;

import static io.herald.systemtests.PusherClients.channels;
import static io.herald.systemtests.PusherClients.client;
import static io.herald.systemtests.PusherClients.publisher;
import static io.herald.systemtests.PusherClients.subscribe;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

import com.pusher.client.Pusher;
import com.pusher.rest.data.Result;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.local.LocalApiServer;
import io.herald.local.LocalCluster;
import io.herald.local.NodeProcess;
import io.herald.membership.PeerView;
import io.herald.membership.Role;
import io.herald.membership.Ticker;
import io.herald.streams.StreamLayout;
import io.herald.systemtests.PusherClients.Received;

/**
 * A gateway killed with SIGKILL: its Lease expires, the router removes it from the interest of
 * its channels and drops its inbox, so nothing more is routed to it, while subscribers on the
 * other gateway keep receiving; the members it had in presence channels are removed for the others.
 */
class GatewayDeathTest {

    private static final Duration LEASE = Duration.ofSeconds(5);
    private static LocalCluster cluster;
    private static RedissonClient redis;
    private static KubernetesClient kubernetes;

    @BeforeAll
    static void startCluster() {
        cluster = TestClusters.start(GatewayDeathTest.class, 2, 1, LEASE);
        redis = TestClusters.redis(cluster);
        kubernetes = TestClusters.kubernetes(cluster);
    }

    @AfterAll
    static void stopCluster() {
        if (kubernetes != null) {
            kubernetes.close();
        }
        if (redis != null) {
            redis.shutdown();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theMembersOfADeadGatewayLeaveItsPresenceChannels() throws Exception {
        String channel = "presence-" + channels("wake", 1).get(0);
        // Gateway 0 survives; the victim is started for this test alone, so the other test keeps its own.
        NodeProcess victim = cluster.startGateway("gateway-doomed");
        PresenceTest.Tab watcher = PresenceTest.join(cluster.gateways().get(0), channel, "watcher");
        PresenceTest.Tab doomed = PresenceTest.join(victim, channel, "doomed");
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> watcher.heard().contains("+doomed {\"name\":\"User doomed\"}"));
            victim.kill();
            await().atMost(LEASE.plusSeconds(15)).until(() -> watcher.heard().contains("-doomed"));
        } finally {
            watcher.close();
            doomed.close();
        }
    }

    @Test
    void aDeadGatewaysLeaseExpiresAndNothingIsRoutedToItAnymore() throws Exception {
        NodeProcess survivor = cluster.gateways().get(0);
        NodeProcess victim = cluster.gateways().get(1);
        String channel = channels("shared", 1).get(0);
        String interestKey = new StreamLayout("local").interest(PusherClients.APP.id(), channel);
        String victimId = TestClusters.memberId(cluster, victim);
        String victimInbox = new StreamLayout("local").inbox(victimId, 0);
        Pusher onSurvivor = client(survivor);
        Pusher onVictim = client(victim);
        try (PeerView view = new PeerView(kubernetes, LocalApiServer.NAMESPACE, "local", Ticker.SYSTEM);
                com.pusher.rest.Pusher publisher = publisher(survivor)) {
            view.start();
            Received received = subscribe(onSurvivor, List.of(channel), "e");
            subscribe(onVictim, List.of(channel), "e");
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.getSet(interestKey).size() == 2);
            assertEquals(Result.Status.SUCCESS, publisher.trigger(channel, "e", "{\"before\":true}").getStatus());
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.getStream(victimInbox).size() == 1);

            victim.kill();
            await().atMost(LEASE.plusSeconds(10)).until(() -> view.gone(Role.GATEWAY).contains(victimId));
            await().atMost(Duration.ofSeconds(10)).until(() -> !redis.getSet(interestKey).contains(victimId)
                    && !redis.getStream(victimInbox).isExists());

            assertFalse(redis.getStream(victimInbox).isExists(), "nothing was routed to the dead gateway");
            for (int i = 0; i < 50; i++) {
                assertEquals(Result.Status.SUCCESS, publisher.trigger(channel, "e", "{\"after\":" + i + "}").getStatus());
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> received.total() == 51);
            assertFalse(redis.getStream(victimInbox).isExists(), "nothing was routed to the dead gateway");
        } finally {
            onSurvivor.disconnect();
            onVictim.disconnect();
        }
    }
}
