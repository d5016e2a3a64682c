package io.herald.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamRangeArgs;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import com.pusher.client.PusherOptions;
import com.pusher.client.channel.ChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;

import io.herald.local.AppCredentials;
import io.herald.local.LocalCluster;
import io.herald.local.NodeProcess;

/**
 * The walking skeleton end to end, with processes as in production: Redis, a router and two
 * gateways. pusher-java-client subscribes on gateway A, pusher-http-java publishes through
 * gateway B, and every event must arrive exactly once, byte for byte, in channel order.
 */
class PublishToSubscribersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final AppCredentials APP = AppCredentials.DEFAULT;

    private static LocalCluster cluster;
    private static RedissonClient redis;

    @BeforeAll
    static void startCluster() {
        cluster = TestClusters.start(PublishToSubscribersTest.class, 2, 1);
        Config config = new Config();
        config.useSingleServer().setAddress(cluster.redisUrl());
        redis = Redisson.create(config);
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

    private static com.pusher.client.Pusher client(NodeProcess gateway) {
        return new com.pusher.client.Pusher(APP.key(), new PusherOptions().setHost("127.0.0.1")
                .setWsPort(gateway.httpPort()).setUseTLS(false));
    }

    /** The REST SDK with data passed through untouched, so the test controls the exact string. */
    private static Pusher publisher(NodeProcess gateway) {
        Pusher pusher = new Pusher(APP.id(), APP.key(), APP.secret());
        pusher.setHost("127.0.0.1:" + gateway.httpPort());
        pusher.setEncrypted(false);
        pusher.setDataMarshaller(data -> (String) data);
        return pusher;
    }

    /** Subscribes and records every event of every channel, in arrival order. */
    private static Map<String, List<String>> subscribe(com.pusher.client.Pusher client, List<String> channels,
            String event) throws InterruptedException {
        Map<String, List<String>> received = new ConcurrentHashMap<>();
        CountDownLatch subscribed = new CountDownLatch(channels.size());
        client.connect();
        for (String channel : channels) {
            received.put(channel, Collections.synchronizedList(new ArrayList<>()));
            client.subscribe(channel, new ChannelEventListener() {
                @Override
                public void onSubscriptionSucceeded(String channelName) {
                    subscribed.countDown();
                }

                @Override
                public void onEvent(PusherEvent pusherEvent) {
                    received.get(pusherEvent.getChannelName()).add(pusherEvent.getData());
                }
            }, event);
        }
        assertTrue(subscribed.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "subscriptions did not succeed");
        return received;
    }

    private static List<String> channels(String prefix, int count) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            channels.add(prefix + "-" + run + "-" + i);
        }
        return channels;
    }

    private static Set<String> inboxChannels(NodeProcess gateway) {
        return redis.<String, String>getStream("herald:local:inbox:" + gateway.nodeId(), StringCodec.INSTANCE)
                .range(StreamRangeArgs.startId(StreamMessageId.MIN).endId(StreamMessageId.MAX))
                .values().stream().map(fields -> fields.get("channel")).collect(java.util.stream.Collectors.toSet());
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
            Map<String, List<String>> receivedOnA = subscribe(clientA, onlyOnA, "update");
            Map<String, List<String>> receivedOnB = subscribe(clientB, onlyOnB, "update");
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

            Set<String> deliveredToB = inboxChannels(gatewayB);
            assertEquals(Set.copyOf(onlyOnB), deliveredToB, "gateway B's inbox must hold only the channel subscribed on B");
            Set<String> deliveredToA = inboxChannels(gatewayA);
            assertEquals(Set.copyOf(onlyOnA), deliveredToA);
        } finally {
            clientA.disconnect();
            clientB.disconnect();
        }
    }
}
