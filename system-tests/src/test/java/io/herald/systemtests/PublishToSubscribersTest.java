package io.herald.systemtests;

import static io.herald.systemtests.PusherClients.channels;
import static io.herald.systemtests.PusherClients.client;
import static io.herald.systemtests.PusherClients.publisher;
import static io.herald.systemtests.PusherClients.subscribe;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamRangeArgs;
import org.redisson.client.codec.StringCodec;

import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;

import io.herald.local.LocalCluster;
import io.herald.local.NodeProcess;
import io.herald.streams.StreamLayout;

/**
 * The walking skeleton end to end, with processes as in production: Redis, a router and two
 * gateways. pusher-java-client subscribes on gateway A, pusher-http-java publishes through
 * gateway B, and every event must arrive exactly once, byte for byte, in channel order.
 */
class PublishToSubscribersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static LocalCluster cluster;
    private static RedissonClient redis;

    @BeforeAll
    static void startCluster(TestInfo test) {
        cluster = TestClusters.start(test.getTestClass().orElseThrow(), 2, 1);
        redis = TestClusters.redis(cluster);
    }

    @AfterAll
    static void stopCluster() {
        if (redis != null) {
            redis.shutdown();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Set<String> inboxChannels(NodeProcess gateway) {
        StreamLayout layout = TestClusters.layout(redis, cluster);
        String member = TestClusters.memberId(cluster, gateway);
        Set<String> channels = new java.util.HashSet<>();
        for (int group = 0; group < layout.slotGroups(); group++) {
            redis.<String, String>getStream(layout.inbox(member, group), StringCodec.INSTANCE)
                    .range(StreamRangeArgs.startId(StreamMessageId.MIN).endId(StreamMessageId.MAX))
                    .values().forEach(fields -> channels.add(fields.get("channel")));
        }
        return channels;
    }

    @Test
    void aThousandEventsArriveExactlyOnceInOrderAndOnlyWhereSubscribed() throws Exception {
        NodeProcess gatewayA = cluster.gateways().get(0);
        NodeProcess gatewayB = cluster.gateways().get(1);
        List<String> onlyOnA = channels("on-a", 5);
        List<String> onlyOnB = channels("on-b", 1);
        com.pusher.client.Pusher clientA = client(gatewayA);
        com.pusher.client.Pusher clientB = client(gatewayB);
        try {
            Map<String, List<String>> receivedOnA = subscribe(clientA, onlyOnA, "update").data();
            Map<String, List<String>> receivedOnB = subscribe(clientB, onlyOnB, "update").data();
            assertEquals(ConnectionState.CONNECTED, clientA.getConnection().getState());

            Map<String, List<String>> sent = new HashMap<>();
            try (Pusher publisher = publisher(gatewayB)) {
                for (int i = 0; i < 1000; i++) {
                    String channel = onlyOnA.get(i % onlyOnA.size());
                    // Quotes, escapes, non-ASCII and a line separator: relayed byte for byte or not at all.
                    String data = "{\"seq\":" + i + ",\"text\":\"caf\u00e9 \\\"q\\\" \\n \u2028 \ud83d\ude80\"}";
                    Result result = publisher.trigger(channel, "update", data);
                    assertEquals(Result.Status.SUCCESS, result.getStatus(), result.getMessage());
                    sent.computeIfAbsent(channel, c -> new ArrayList<>()).add(data);
                }
                for (int i = 0; i < 10; i++) {
                    assertEquals(Result.Status.SUCCESS, publisher.trigger(onlyOnB.get(0), "update", "{\"b\":" + i + "}").getStatus());
                }
            }

            await().atMost(TIMEOUT).until(() -> receivedOnA.values().stream().mapToInt(List::size).sum() >= 1000
                    && receivedOnB.get(onlyOnB.get(0)).size() >= 10);
            for (String channel : onlyOnA) {
                assertEquals(sent.get(channel), receivedOnA.get(channel), "events of " + channel);
            }
            assertEquals(10, receivedOnB.get(onlyOnB.get(0)).size());

            // Gateway B handled 10 deliveries, too few for it to trim its inbox: all are still there.
            Set<String> deliveredToB = inboxChannels(gatewayB);
            assertEquals(Set.copyOf(onlyOnB), deliveredToB, "gateway B's inbox must hold only the channel subscribed on B");
        } finally {
            clientA.disconnect();
            clientB.disconnect();
        }
    }
}
