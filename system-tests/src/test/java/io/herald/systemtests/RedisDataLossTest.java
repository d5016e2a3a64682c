package io.herald.systemtests;

import static io.herald.systemtests.PusherClients.channels;
import static io.herald.systemtests.PusherClients.client;
import static io.herald.systemtests.PusherClients.publisher;
import static io.herald.systemtests.PusherClients.subscribe;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

import com.pusher.client.Pusher;
import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.data.Result;

import io.herald.local.LocalCluster;
import io.herald.local.NodeProcess;

/**
 * Redis loses every key (as a restart without persistence, or a failover to a replica that missed
 * writes, would make it): routers claim their shards again, gateways announce again what their
 * sockets hold, and subscribers keep receiving new publications on the same connection. They are
 * told, per channel, that events may have been lost in between.
 */
class RedisDataLossTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void subscribersKeepReceivingOnTheSameConnectionAfterRedisLostItsData() throws Exception {
        try (LocalCluster cluster = TestClusters.start(RedisDataLossTest.class, 1, 1)) {
            NodeProcess gateway = cluster.gateways().get(0);
            String news = channels("news", 1).get(0);
            String room = "presence-" + channels("room", 1).get(0);
            RedissonClient redis = TestClusters.redis(cluster);
            Pusher reader = client(gateway);
            PresenceTest.Tab ann = PresenceTest.join(gateway, room, "ann");
            try (com.pusher.rest.Pusher api = publisher(gateway)) {
                PusherClients.Received received = subscribe(reader, List.of(news), "story", "herald:messages_lost");
                String socketId = reader.getConnection().getSocketId();
                assertEquals(Result.Status.SUCCESS, api.trigger(news, "story", "before").getStatus());
                await().atMost(TIMEOUT).until(() -> received.data().get(news).contains("before"));

                redis.getKeys().flushall();

                await().atMost(TIMEOUT).until(() -> received.data().get(news).contains("{\"reason\":\"redis-data-lost\"}"));
                await().atMost(TIMEOUT).until(() -> {
                    api.trigger(news, "story", "after");
                    return received.data().get(news).contains("after");
                });
                assertEquals(socketId, reader.getConnection().getSocketId(), "the subscriber was not reconnected");
                assertEquals(ConnectionState.CONNECTED, reader.getConnection().getState());

                // The presence channel was rebuilt from the gateway's sockets, without telling anyone.
                PresenceTest.Tab bob = PresenceTest.join(gateway, room, "bob");
                assertEquals(Set.of("ann", "bob"), bob.initialMembers());
                await().atMost(TIMEOUT).until(() -> !ann.heard().isEmpty());
                assertEquals(List.of("+bob {\"name\":\"User bob\"}"), ann.heard(), "ann heard of nobody else joining");
                bob.close();
            } finally {
                reader.disconnect();
                ann.close();
                redis.shutdown();
            }
        }
    }
}
