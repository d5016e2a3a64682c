package io.herald.router.routing;

import static io.herald.router.TestStreams.unique;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.local.KubernetesApiTestResource;
import io.herald.local.LocalApiServer;
import io.herald.local.RedisTestResource;
import io.herald.membership.LeaseSettings;
import io.herald.membership.Membership;
import io.herald.membership.OwnLease;
import io.herald.membership.Role;
import io.herald.membership.Ticker;
import io.herald.router.TestStreams;
import io.herald.streams.ClusterSettings;
import io.herald.streams.InterestChange;
import io.herald.streams.Publication;
import io.herald.streams.RedisDisconnects;
import io.herald.streams.ShardStreams;
import io.herald.streams.StreamLayout;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The router against a real Redis that fails it: what was acknowledged still gets routed. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class RouterRecoveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Inject
    TestStreams streams;

    @Inject
    ShardStreams shardStreams;

    @Inject
    ClusterSettings cluster;

    @Inject
    RedissonClient redis;

    @Inject
    KubernetesClient kubernetes;

    @Inject
    Membership membership;

    @Inject
    ShardRouter router;

    @Inject
    RedisDisconnects disconnects;

    private List<String> received(String gateway) {
        return streams.deliveries(gateway).stream().map(delivery -> delivery.publication().data()).distinct().toList();
    }

    @Test
    void aBatchWhoseWriteFailedIsRoutedAgainOnceRedisTakesWritesAgain() {
        String channel = unique("orders");
        String gateway = streams.interestedGateway(channel);

        // The delivery's XADD fails inside the fenced script, as a write to a full or failing Redis would.
        redis.getBucket(cluster.layout().inbox(gateway, 0), StringCodec.INSTANCE).set("not a stream");
        streams.append(new Publication("1", channel, "e", "first", null));
        RStream<String, String> shard = redis.getStream(cluster.layout().shardStream(cluster.shardOf("1", channel)),
                StringCodec.INSTANCE);
        await().atMost(TIMEOUT).until(() -> shard.getPendingInfo(StreamLayout.ROUTER_GROUP).getTotal() > 0);

        redis.getBucket(cluster.layout().inbox(gateway, 0)).delete();
        streams.append(new Publication("1", channel, "e", "second", null));

        await().atMost(TIMEOUT).until(() -> received(gateway).size() == 2);
        assertEquals(List.of("first", "second"), received(gateway));
    }

    @Test
    void anEntryThatAnOrphanedReadTookIsRoutedByTheNextCheck() {
        String channel = unique("orders");
        String gateway = streams.interestedGateway(channel);

        streams.appendTakenByAnOrphanedRead(new Publication("1", channel, "e", "taken", null));

        await().atMost(TIMEOUT).until(() -> received(gateway).contains("taken"));
    }

    @Test
    void afterAFailureEntriesThatAnOrphanedReadTookAreRoutedBeforeNewerOnes() {
        String channel = unique("orders");
        String gateway = streams.interestedGateway(channel);
        redis.getBucket(cluster.layout().inbox(gateway, 0), StringCodec.INSTANCE).set("not a stream");
        streams.append(new Publication("1", channel, "e", "first", null));
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> !router.isHealthy());
        redis.getBucket(cluster.layout().inbox(gateway, 0)).delete();
        await().atMost(TIMEOUT).until(() -> received(gateway).contains("first"));

        streams.appendTakenByAnOrphanedRead(new Publication("1", channel, "e", "taken", null));
        streams.append(new Publication("1", channel, "e", "after", null));

        await().atMost(TIMEOUT).until(() -> received(gateway).size() == 3);
        assertEquals(List.of("first", "taken", "after"), received(gateway));
    }

    @Test
    void afterItsConnectionsDroppedEntriesThatAnOrphanedReadTookAreRoutedBeforeNewerOnes() throws Exception {
        String channel = unique("orders");
        String gateway = streams.interestedGateway(channel);
        long before = disconnects.count();
        // As when Redis restarts: the router's blocking read is re-sent on a new connection.
        URI url = URI.create(ConfigProvider.getConfig().getValue("herald.redis.url", String.class));
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.getOutputStream().write("CLIENT KILL TYPE normal\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(new String(socket.getInputStream().readNBytes(2), StandardCharsets.US_ASCII).startsWith(":"));
        }
        await().atMost(TIMEOUT).until(() -> disconnects.count() > before);

        streams.appendTakenByAnOrphanedRead(new Publication("1", channel, "e", "taken", null));
        streams.append(new Publication("1", channel, "e", "after", null));

        await().atMost(TIMEOUT).until(() -> received(gateway).size() == 2);
        assertEquals(List.of("taken", "after"), received(gateway));
    }


    @Test
    void aCleanupAfterAGoneGatewayThatFailedIsRetriedUntilItSucceeds() {
        String gateway = unique("gw");
        String channel = unique("orders");
        streams.append(new InterestChange("1", channel, gateway, true));
        String interestKey = cluster.layout().interest("1", channel);
        await().atMost(TIMEOUT).until(() -> redis.getSet(interestKey).contains(gateway));

        // The cleanup's read of the gateway's presence index fails until the key is repaired.
        String presenceIndex = cluster.layout().gatewayPresence(gateway, cluster.shardOf("1", channel));
        redis.getBucket(presenceIndex, StringCodec.INSTANCE).set("not a set");
        OwnLease lease = new OwnLease(kubernetes, new LeaseSettings(LocalApiServer.NAMESPACE, cluster.clusterName(),
                Role.GATEWAY, gateway, gateway, Duration.ofSeconds(15), Optional.empty()), Ticker.SYSTEM, () -> 0);
        lease.renew();
        await().atMost(TIMEOUT).until(() -> membership.peers().isAlive(gateway));
        lease.release();
        await().atMost(TIMEOUT).until(() -> membership.peers().gone(Role.GATEWAY).contains(gateway));
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> !router.isHealthy());
        assertTrue(redis.getSet(interestKey).contains(gateway), "the failing cleanup removed nothing");

        redis.getBucket(presenceIndex).delete();
        await().atMost(TIMEOUT).until(() -> !redis.getSet(interestKey).contains(gateway));
    }

    @Test
    void afterRedisLostItsDataTheRouterClaimsItsShardsAgainAndRoutesNewPublications() {
        String gateway = unique("gw");
        String channel = unique("orders");
        streams.append(new InterestChange("1", channel, gateway, true), new Publication("1", channel, "e", "before", null));
        await().atMost(TIMEOUT).until(() -> received(gateway).size() == 1);

        redis.getKeys().flushall();

        streams.append(new InterestChange("1", channel, gateway, true), new Publication("1", channel, "e", "after", null));
        await().atMost(TIMEOUT).until(() -> received(gateway).contains("after"));
        await().atMost(TIMEOUT).until(() -> redis.getMap(cluster.layout().meta(), StringCodec.INSTANCE).get("dataset") != null);
    }
}
