package io.herald.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.pusher.rest.data.Result;

import io.herald.local.LocalCluster;
import io.herald.local.NodeProcess;

/**
 * pusher-js 8 with clients/pusher-js-recovery, in its own Node.js process, reaches three gateways
 * through a balancing proxy while the test publishes a numbered sequence on a few channels at a
 * steady rate (pusher-http-java, through a fourth gateway that stays up). In turn: the client's
 * connection is cut, the gateway it is on is killed with SIGKILL, the gateway it is on then drains
 * (SIGTERM), and a router is killed with SIGKILL. After each fault the client must be connected
 * again (where the fault broke its connection), have recovered every channel, and have caught up
 * with everything acknowledged; at the end its handlers must have seen every acknowledged event of
 * every channel exactly once, in order, and no recovery may have failed.
 */
class RecoveryThroughFaultsTest {

    // Short, so a router's death is noticed soon; not so short that a loaded machine lets Leases lapse.
    private static final Duration LEASE = Duration.ofSeconds(8);
    private static final Duration DRAIN = Duration.ofSeconds(2);
    private static final Duration STEP = Duration.ofSeconds(30);
    private static final int CHANNELS = 4;

    @Test
    void aRecoveringPusherJsClientGetsEveryEventOnceInOrderThroughACutAGatewayKillADrainAndARouterKill() throws Exception {
        NodeScripts.prepare();
        List<String> channels = PusherClients.channels("recovery", CHANNELS);
        try (LocalCluster cluster = TestClusters.start(RecoveryThroughFaultsTest.class, 1, 2, LEASE)) {
            Map<String, String> drain = Map.of("HERALD_DRAIN_PERIOD", DRAIN.toSeconds() + "s");
            // Three gateways for the client, started side by side: the fault that takes one away
            // leaves two, the next leaves one, and no restart has to fit in between.
            List<CompletableFuture<NodeProcess>> starting = List.of("gateway-a", "gateway-b", "gateway-c").stream()
                    .map(id -> CompletableFuture.supplyAsync(() -> cluster.startGateway(id, drain))).toList();
            List<Integer> ports = starting.stream().map(CompletableFuture::join).map(NodeProcess::httpPort).toList();
            try (BalancingProxy proxy = new BalancingProxy(ports);
                    RecoveringSubscriber subscriber = RecoveringSubscriber.start(proxy.port(), ports, cluster.options().app(), channels);
                    SteadyPublisher publisher = new SteadyPublisher(cluster.gateways().get(0), channels)) {
                await("the subscriptions").atMost(STEP).until(subscriber::subscribedToAll);
                publisher.start();
                awaitCaughtUp(subscriber, publisher, "the start");

                afterReconnection(subscriber, publisher, "a network cut", proxy::cut);

                NodeProcess killed = gatewayOn(cluster, proxy);
                afterReconnection(subscriber, publisher, "a SIGKILL of " + killed.nodeId(), killed::kill);

                NodeProcess drained = gatewayOn(cluster, proxy);
                afterReconnection(subscriber, publisher, "the drain of " + drained.nodeId(), () -> drained.process().destroy());

                NodeProcess router = cluster.routers().get(0);
                router.kill();
                awaitCaughtUp(subscriber, publisher, "a SIGKILL of " + router.nodeId());

                publisher.stop();
                awaitCaughtUp(subscriber, publisher, "the end");
                for (String channel : channels) {
                    assertEquals(publisher.acknowledged(channel), subscriber.ticks(channel), "channel " + channel);
                }
                assertEquals(List.of(), subscriber.recoveryFailures(), "recoveries failed");
                assertEquals(0, publisher.refused(), "publications refused, whose fate the test cannot know");
                assertTrue(subscriber.isAlive(), "the Node.js client ended early (output above)");
                System.out.printf("Recovery through faults: %d events on %d channels, %d connections, %d channel recoveries%n",
                        channels.stream().mapToInt(channel -> publisher.acknowledged(channel).size()).sum(), CHANNELS,
                        subscriber.connections(), subscriber.recoveries());
            }
        }
    }

    /** The gateway the proxy sent the client's newest connection to. */
    private static NodeProcess gatewayOn(LocalCluster cluster, BalancingProxy proxy) {
        return cluster.gateways().stream().filter(gateway -> gateway.httpPort() == proxy.lastUpstream()).findFirst().orElseThrow();
    }

    /**
     * Injects a fault that breaks the client's connection, then waits until the client is connected
     * again, has resubscribed every channel with recovery, and has caught up.
     */
    private static void afterReconnection(RecoveringSubscriber subscriber, SteadyPublisher publisher, String fault, Runnable inject) {
        int connections = subscriber.connections();
        int recoveries = subscriber.recoveries();
        inject.run();
        await("a new connection after " + fault).atMost(STEP).until(() -> subscriber.connections() > connections);
        await("every channel recovered after " + fault).atMost(STEP)
                .until(() -> subscriber.recoveries() >= recoveries + CHANNELS || !subscriber.recoveryFailures().isEmpty());
        awaitCaughtUp(subscriber, publisher, fault);
    }

    /** Waits until the client has as many events on each channel as were acknowledged when the wait began. */
    private static void awaitCaughtUp(RecoveringSubscriber subscriber, SteadyPublisher publisher, String after) {
        Map<String, Integer> wanted = new ConcurrentHashMap<>();
        publisher.channels().forEach(channel -> wanted.put(channel, Math.max(1, publisher.acknowledged(channel).size())));
        await("the client caught up after " + after).atMost(STEP.plus(LEASE)).until(() -> wanted.entrySet().stream()
                .allMatch(entry -> subscriber.ticks(entry.getKey()).size() >= entry.getValue()));
    }

    /**
     * Publishes {@code {"seq":n}} (n = 1, 2, ... per channel) round robin over the channels, one
     * event about every 10 ms, and keeps the seq numbers each channel had acknowledged with a 200.
     */
    private static final class SteadyPublisher implements AutoCloseable {

        private final com.pusher.rest.Pusher pusher;
        private final List<String> channels;
        private final Map<String, List<Integer>> acknowledged = new ConcurrentHashMap<>();
        private final AtomicInteger refused = new AtomicInteger();
        private final AtomicBoolean publishing = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::publish, "steady-publisher");

        SteadyPublisher(NodeProcess gateway, List<String> channels) {
            this.pusher = PusherClients.publisher(gateway);
            this.channels = List.copyOf(channels);
            channels.forEach(channel -> acknowledged.put(channel, Collections.synchronizedList(new ArrayList<>())));
        }

        void start() {
            thread.start();
        }

        List<String> channels() {
            return channels;
        }

        List<Integer> acknowledged(String channel) {
            List<Integer> seqs = acknowledged.get(channel);
            synchronized (seqs) {
                return List.copyOf(seqs);
            }
        }

        int refused() {
            return refused.get();
        }

        void stop() throws InterruptedException {
            publishing.set(false);
            thread.join(STEP.toMillis());
        }

        @Override
        public void close() throws Exception {
            stop();
            pusher.close();
        }

        private void publish() {
            try {
                for (int sequence = 0; publishing.get(); sequence++) {
                    String channel = channels.get(sequence % channels.size());
                    int seq = sequence / channels.size() + 1;
                    Result result = pusher.trigger(channel, "tick", "{\"seq\":" + seq + "}");
                    if (result.getStatus() == Result.Status.SUCCESS) {
                        acknowledged.get(channel).add(seq);
                    } else {
                        refused.incrementAndGet();
                    }
                    // Paces the publisher at about 100 events a second.
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
