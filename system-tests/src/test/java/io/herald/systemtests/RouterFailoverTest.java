package io.herald.systemtests;

import static io.herald.systemtests.PusherClients.channels;
import static io.herald.systemtests.PusherClients.client;
import static io.herald.systemtests.PusherClients.publisher;
import static io.herald.systemtests.PusherClients.subscribe;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import com.pusher.client.Pusher;
import com.pusher.rest.data.Result;

import io.herald.local.LocalCluster;
import io.herald.local.NodeProcess;
import io.herald.systemtests.PusherClients.Received;

/**
 * Two routers, two gateways, Leases in the Fabric8 API server (CRUD mode), real Redis; official
 * clients subscribed on both gateways while a publisher keeps a steady rate over many channels.
 * One router is killed with SIGKILL mid-stream: every publication acknowledged with 200 must
 * still arrive, none twice, in order per channel, and the dead router's shards must be served
 * again within the lease duration plus a few seconds.
 */
class RouterFailoverTest {

    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final int CHANNELS = 24;
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster(TestInfo test) {
        cluster = TestClusters.start(test.getTestClass().orElseThrow(), 2, 2, LEASE);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void killingARouterLosesNothingAcknowledgedAndDuplicatesNothing() throws Exception {
        List<String> channels = channels("failover", CHANNELS);
        Pusher onA = client(cluster.gateways().get(0));
        Pusher onB = client(cluster.gateways().get(1));
        try {
            Received receivedOnA = subscribe(onA, channels, "tick");
            Received receivedOnB = subscribe(onB, channels, "tick");

            Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();
            AtomicBoolean publishing = new AtomicBoolean(true);
            AtomicInteger refused = new AtomicInteger();
            Thread publisher = new Thread(() -> publishSteadily(channels, acknowledged, publishing, refused), "publisher");
            publisher.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> total(acknowledged) >= 200);
            NodeProcess victim = cluster.routers().get(0);
            long killedAt = System.nanoTime();
            victim.kill();
            // Every channel, the dead router's among them, is served again; then the stream
            // goes on for a while under the new ownership.
            await().atMost(LEASE.plusSeconds(20)).until(() -> channels.stream()
                    .allMatch(channel -> lastArrival(receivedOnA, channel) > killedAt));
            int atTakeover = total(acknowledged);
            await().atMost(Duration.ofSeconds(30)).until(() -> total(acknowledged) >= atTakeover + 300);
            publishing.set(false);
            publisher.join(10_000);

            int sent = total(acknowledged);
            await().atMost(Duration.ofSeconds(60)).until(() -> receivedOnA.total() >= sent && receivedOnB.total() >= sent);
            for (String channel : channels) {
                assertEquals(acknowledged.get(channel), receivedOnA.data().get(channel), "on gateway A, channel " + channel);
                assertEquals(acknowledged.get(channel), receivedOnB.data().get(channel), "on gateway B, channel " + channel);
            }
            long stall = longestStallAfter(killedAt, receivedOnA);
            System.out.printf("Router failover: %d publications acknowledged, %d refused while a router was down; "
                    + "longest delivery stall after the kill %d ms (lease %d s)%n",
                    sent, refused.get(), stall / 1_000_000, LEASE.toSeconds());
            assertTrue(stall < LEASE.plusSeconds(4).toNanos(), "shards were not served again in time: " + stall / 1_000_000 + " ms");
        } finally {
            onA.disconnect();
            onB.disconnect();
        }
    }

    /** Publishes one event every 10 ms, round robin over the channels, and records what got a 200. */
    private static void publishSteadily(List<String> channels, Map<String, List<String>> acknowledged, AtomicBoolean publishing,
            AtomicInteger refused) {
        try (com.pusher.rest.Pusher pusher = publisher(cluster.gateways().get(0))) {
            for (int sequence = 0; publishing.get(); sequence++) {
                String channel = channels.get(sequence % channels.size());
                String data = "{\"seq\":" + sequence + "}";
                Result result = pusher.trigger(channel, "tick", data);
                if (result.getStatus() == Result.Status.SUCCESS) {
                    acknowledged.computeIfAbsent(channel, c -> java.util.Collections.synchronizedList(new ArrayList<>())).add(data);
                } else {
                    refused.incrementAndGet();
                }
                // Paces the publisher at a steady rate of about 100 a second.
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int total(Map<String, List<String>> acknowledged) {
        return acknowledged.values().stream().mapToInt(List::size).sum();
    }

    private static long lastArrival(Received received, String channel) {
        List<Long> arrivals = received.arrivalNanos().get(channel);
        synchronized (arrivals) {
            return arrivals.isEmpty() ? 0 : arrivals.get(arrivals.size() - 1);
        }
    }

    /** The longest time any channel went without a delivery, counted from the kill on. */
    private static long longestStallAfter(long killedAt, Received received) {
        long longest = 0;
        for (List<Long> arrivals : received.arrivalNanos().values()) {
            long previous = killedAt;
            synchronized (arrivals) {
                for (long arrival : arrivals) {
                    if (arrival > killedAt) {
                        longest = Math.max(longest, arrival - previous);
                        previous = arrival;
                    }
                }
            }
        }
        return longest;
    }
}
