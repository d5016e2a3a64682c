package io.herald.router.routing;

import static io.herald.router.TestStreams.unique;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.redisson.api.RScript;
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
import io.herald.streams.EnvelopeCodec;
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

    /** A gateway that the router knows has subscribers on the channel. */
    private String interestedGateway(String channel) {
        String gateway = unique("gw");
        streams.append(new InterestChange("1", channel, gateway, true));
        await().atMost(TIMEOUT).until(() -> redis.getSet(cluster.layout().interest("1", channel)).contains(gateway));
        return gateway;
    }

    private List<String> received(String gateway) {
        return streams.deliveries(gateway).stream().map(delivery -> delivery.publication().data()).distinct().toList();
    }

    @Test
    void aBatchWhoseWriteFailedIsRoutedAgainOnceRedisTakesWritesAgain() {
        String channel = unique("orders");
        String gateway = interestedGateway(channel);

        // The delivery's XADD fails inside the fenced script, as a write to a full or failing Redis would.
        redis.getBucket(cluster.layout().inbox(gateway), StringCodec.INSTANCE).set("not a stream");
        streams.append(new Publication("1", channel, "e", "first", null));
        RStream<String, String> shard = redis.getStream(cluster.layout().shardStream(cluster.shardOf("1", channel)),
                StringCodec.INSTANCE);
        await().atMost(TIMEOUT).until(() -> shard.getPendingInfo(StreamLayout.ROUTER_GROUP).getTotal() > 0);

        redis.getBucket(cluster.layout().inbox(gateway)).delete();
        streams.append(new Publication("1", channel, "e", "second", null));

        await().atMost(TIMEOUT).until(() -> received(gateway).size() == 2);
        assertEquals(List.of("first", "second"), received(gateway));
    }

    @Test
    void anEntryThatAnOrphanedReadTookIsRoutedByTheNextCheck() {
        String channel = unique("orders");
        String gateway = interestedGateway(channel);

        appendTakenByAnOrphanedRead(new Publication("1", channel, "e", "taken", null));

        await().atMost(TIMEOUT).until(() -> received(gateway).contains("taken"));
    }

    @Test
    void afterAFailureEntriesThatAnOrphanedReadTookAreRoutedBeforeNewerOnes() {
        String channel = unique("orders");
        String gateway = interestedGateway(channel);
        redis.getBucket(cluster.layout().inbox(gateway), StringCodec.INSTANCE).set("not a stream");
        streams.append(new Publication("1", channel, "e", "first", null));
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> !router.isHealthy());
        redis.getBucket(cluster.layout().inbox(gateway)).delete();
        await().atMost(TIMEOUT).until(() -> received(gateway).contains("first"));

        appendTakenByAnOrphanedRead(new Publication("1", channel, "e", "taken", null));
        streams.append(new Publication("1", channel, "e", "after", null));

        await().atMost(TIMEOUT).until(() -> received(gateway).size() == 3);
        assertEquals(List.of("first", "taken", "after"), received(gateway));
    }

    @Test
    void afterItsConnectionsDroppedEntriesThatAnOrphanedReadTookAreRoutedBeforeNewerOnes() throws Exception {
        String channel = unique("orders");
        String gateway = interestedGateway(channel);
        long before = disconnects.count();
        // As when Redis restarts: the router's blocking read is re-sent on a new connection.
        URI url = URI.create(ConfigProvider.getConfig().getValue("herald.redis.url", String.class));
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.getOutputStream().write("CLIENT KILL TYPE normal\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(new String(socket.getInputStream().readNBytes(2), StandardCharsets.US_ASCII).startsWith(":"));
        }
        await().atMost(TIMEOUT).until(() -> disconnects.count() > before);

        appendTakenByAnOrphanedRead(new Publication("1", channel, "e", "taken", null));
        streams.append(new Publication("1", channel, "e", "after", null));

        await().atMost(TIMEOUT).until(() -> received(gateway).size() == 2);
        assertEquals(List.of("taken", "after"), received(gateway));
    }

    /**
     * Appends an entry and reads it as this router's consumer in one script: the entry is then
     * pending to the router, which never received it, as after a read Redis ran once the router
     * had given up on it (a blocking read Redisson re-sent after a reconnect).
     */
    private void appendTakenByAnOrphanedRead(Publication publication) {
        String stream = cluster.layout().shardStream(cluster.shardOf(publication.app(), publication.channel()));
        List<Object> arguments = new ArrayList<>(List.of(StreamLayout.ROUTER_GROUP, cluster.nodeId()));
        EnvelopeCodec.encode(publication).forEach((name, value) -> {
            arguments.add(name);
            arguments.add(value);
        });
        redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, """
                local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
                local read = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1, 'STREAMS', KEYS[1], '>')
                if read[1][2][1][1] ~= id then
                  return redis.error_reply('the orphaned read took ' .. read[1][2][1][1] .. ', not ' .. id)
                end
                return id
                """, RScript.ReturnType.VALUE, List.of(stream), arguments.toArray());
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
