package io.herald.benchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.herald.local.LocalApiServer;
import io.herald.local.LocalCluster;
import io.herald.local.LocalRedis;
import io.herald.local.NodeProcess;
import io.vertx.core.json.JsonObject;

/**
 * Runs faults against one real cluster (two gateways, two routers, Redis, the local API server)
 * under steady publishing, and reports for each what happened to the acknowledged publications
 * (see {@link FaultReport} for the definitions). The cluster is shared by the runs to save the
 * start-up time; a fault that leaves it unable to serve gets it restarted, and says so.
 *
 * <p>Each run: fresh channels and subscribers (on both gateways), publishing until every
 * subscriber receives on every channel, a steady period, the fault, then publishing until every
 * subscriber receives publications sent after the fault ended (or a time limit), a steady period,
 * the end of publishing and a bounded wait for the last deliveries.
 */
public final class FaultHarness implements AutoCloseable {

    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration REDIS_PAUSE = Duration.ofSeconds(5);
    private static final Duration API_OUTAGE = Duration.ofSeconds(20);

    /**
     * Settings for the cluster under test: channel history long enough to cover the longest
     * outage a scenario makes (the API server gone 20 s, then the Leases to renew) at the
     * harness's rates, since its subscribers recover what they missed as the client helpers do.
     * A production cluster sizes its history for the outages it means to bridge the same way.
     */
    public static final Map<String, String> NODE_SETTINGS = Map.of(
            "HERALD_HISTORY_SIZE", "5000",
            "HERALD_HISTORY_TTL_SECONDS", "300");

    /**
     * @param channels channels published to, round robin
     * @param ratePerSecond publications per second, in total
     * @param subscribersPerGateway subscribers connected to each gateway, each subscribed to every channel
     * @param steady how long to publish before the fault and after the recovery
     * @param leaseDuration the cluster's Lease duration (bounds the waits for takeovers)
     */
    public record Settings(int channels, int ratePerSecond, int subscribersPerGateway, Duration steady, Duration leaseDuration) {

        Duration recoveryTimeout() {
            return leaseDuration.multipliedBy(2).plusSeconds(30);
        }
    }

    private final Supplier<LocalCluster> starter;
    private final Settings settings;
    private final PrintStream progress;
    private final LoadClient client = new LoadClient(2, 1);
    private LocalCluster cluster;
    private int runs;
    private int routerKills;

    private FaultHarness(Supplier<LocalCluster> starter, Settings settings, PrintStream progress) {
        this.starter = starter;
        this.settings = settings;
        this.progress = progress;
    }

    /** Starts the cluster with {@code starter} (two gateways, two routers, a Redis and API server it started). */
    public static FaultHarness start(Supplier<LocalCluster> starter, Settings settings, PrintStream progress) {
        FaultHarness harness = new FaultHarness(starter, settings, progress);
        harness.cluster = starter.get();
        return harness;
    }

    /** Injects one fault under load and reports what it did. */
    public FaultReport run(Fault fault) throws Exception {
        runs++;
        List<String> notes = new ArrayList<>();
        for (NodeProcess node : cluster.nodes()) {
            if (!node.isAlive()) {
                notes.add(node.nodeId() + " was dead before the run and was restarted");
                cluster.restart(node);
            }
        }
        Run run = new Run(fault, notes);
        if (!run.warmUp()) {
            run.stop();
            notes.add("the cluster did not serve before the fault and was restarted");
            restartCluster();
            run = new Run(fault, notes);
            if (!run.warmUp()) {
                run.stop();
                throw new IllegalStateException("a freshly started cluster did not deliver on every channel within "
                        + SUBSCRIBE_TIMEOUT.toSeconds() + " s");
            }
        }
        FaultReport report = run.inject();
        progress.println("  " + report);
        if (!report.servedAgain()) {
            progress.println("  the cluster no longer serves: restarting it for the next run");
            restartCluster();
        }
        return report;
    }

    /** Restarts the whole cluster; the logs of the one that failed are kept beside, in {@code <log directory>-<run>}. */
    private void restartCluster() throws IOException {
        cluster.close();
        Optional<Path> logs = cluster.options().logDirectory();
        if (logs.isPresent() && Files.isDirectory(logs.get())) {
            Files.move(logs.get(), logs.get().resolveSibling(logs.get().getFileName() + "-" + runs));
        }
        cluster = starter.get();
    }

    @Override
    public void close() {
        client.close();
        cluster.close();
    }

    /** One fault under load, with its own channels and subscribers. */
    private final class Run {

        private final Fault fault;
        private final List<String> notes;
        private final List<String> channels = new ArrayList<>();
        private final List<FaultSubscriber> subscribers = new ArrayList<>();
        private final FaultPublisher publisher;
        private final List<SignedPublisher> entries;

        Run(Fault fault, List<String> notes) {
            this.fault = fault;
            this.notes = notes;
            String prefix = "fault-" + fault.label() + "-" + runs + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
            for (int i = 0; i < settings.channels(); i++) {
                channels.add(prefix + "-" + i);
            }
            List<NodeProcess> gateways = cluster.gateways();
            entries = gateways.stream()
                    .map(gateway -> new SignedPublisher(client.vertx(), gateway.httpPort(), BenchmarkCluster.APP, 4)).toList();
            publisher = new FaultPublisher(client.publisherLoop(), entries, channels, settings.ratePerSecond());
            int index = 0;
            for (int gateway = 0; gateway < gateways.size(); gateway++) {
                for (int k = 0; k < settings.subscribersPerGateway(); k++, index++) {
                    subscribers.add(new FaultSubscriber("subscriber-" + index, client, index, channels, gateway, gateways::size,
                            g -> gateways.get(g).httpPort()));
                }
            }
        }

        /** Subscribes everyone and publishes until every subscriber receives on every channel, then for the steady period. */
        boolean warmUp() {
            progress.printf("%s: %s%n", fault.label(), fault.description());
            subscribers.forEach(FaultSubscriber::start);
            if (!Waits.until(() -> subscribers.stream().allMatch(FaultSubscriber::isSubscribedEverywhere), SUBSCRIBE_TIMEOUT.toMillis())) {
                return false;
            }
            publisher.start();
            long[] first = new long[channels.size()];
            if (!Waits.until(() -> subscribers.stream().allMatch(s -> s.hasDeliveredFrom(first)), SUBSCRIBE_TIMEOUT.toMillis())) {
                return false;
            }
            Waits.sleep(settings.steady().toMillis());
            return true;
        }

        FaultReport inject() throws Exception {
            Presence presence = fault == Fault.GATEWAY_RESTART ? joinPresence() : null;
            long faultAt = System.nanoTime();
            NodeProcess restartAfterwards = injectFault();
            long healedAt = System.nanoTime();
            long[] afterHealing = publisher.nextSequences().get(10, TimeUnit.SECONDS);
            boolean recovered = Waits.until(() -> subscribers.stream().allMatch(s -> s.hasDeliveredFrom(afterHealing)),
                    settings.recoveryTimeout().toMillis());
            long recoveryMillis = recovered ? (System.nanoTime() - healedAt) / 1_000_000 : -1;
            if (!recovered) {
                notes.add("not every subscriber received on every channel within " + settings.recoveryTimeout().toSeconds()
                        + " s of the fault's end");
            }
            OptionalLong memberRemoved = OptionalLong.empty();
            if (presence != null) {
                memberRemoved = presence.awaitGhostRemoved(faultAt, settings.recoveryTimeout());
            }
            Waits.sleep(settings.steady().toMillis());
            List<FaultPublisher.Publication> published = publisher.stop().get(60, TimeUnit.SECONDS);
            long[] last = lastAcknowledged(published);
            Waits.until(() -> subscribers.stream().allMatch(s -> s.hasDeliveredFrom(last)), recovered ? DRAIN_TIMEOUT.toMillis() : 2000);
            stop();
            if (presence != null) {
                presence.close();
            }
            if (restartAfterwards != null) {
                cluster.restart(restartAfterwards);
            }
            List<FaultReport.ChannelFigures> figures = new ArrayList<>();
            List<String> lostExamples = new ArrayList<>();
            for (int i = 0; i < channels.size(); i++) {
                int channel = i;
                String name = channels.get(i);
                figures.add(FaultReport.channel(name, published.stream().filter(p -> p.channel() == channel).toList(),
                        subscribers.stream().map(s -> s.observed(name)).toList(), faultAt, lostExamples));
            }
            notes.addAll(lostExamples);
            int reconnects = subscribers.stream().mapToInt(FaultSubscriber::reconnects).sum();
            return new FaultReport(fault, figures, recoveryMillis, memberRemoved, reconnects, notes);
        }

        /** Injects the fault; answers a node to restart once the run is measured, if the fault left one dead. */
        private NodeProcess injectFault() {
            LocalRedis redis = cluster.redis();
            switch (fault) {
                case ROUTER_KILL -> {
                    NodeProcess victim = cluster.routers().get(routerKills++ % cluster.routers().size());
                    victim.kill();
                    return victim;
                }
                case GATEWAY_KILL -> {
                    NodeProcess victim = cluster.gateways().get(1);
                    victim.kill();
                    return victim;
                }
                case ROUTER_STOP -> {
                    NodeProcess victim = cluster.routers().get(0);
                    victim.pause();
                    Waits.sleep(settings.leaseDuration().plusSeconds(5).toMillis());
                    victim.resume();
                }
                case REDIS_RESTART_AOF -> redis.crashAndRestart(LocalRedis.Persistence.APPEND_ONLY);
                case REDIS_RESTART_EMPTY -> redis.crashAndRestart(LocalRedis.Persistence.NONE);
                case REDIS_PAUSE -> {
                    redis.pause(REDIS_PAUSE);
                    Waits.sleep(REDIS_PAUSE.toMillis());
                }
                case API_UNREACHABLE -> {
                    LocalApiServer api = cluster.apiServer().orElseThrow();
                    api.stop();
                    Waits.sleep(API_OUTAGE.toMillis());
                    api.restart();
                }
                case GATEWAY_RESTART -> {
                    NodeProcess victim = cluster.gateways().get(1);
                    long killed = System.nanoTime();
                    victim.kill();
                    cluster.restart(victim);
                    Duration down = Duration.ofNanos(System.nanoTime() - killed);
                    // Only a process back before its Lease expired renews the old one: the case of a ghost incarnation.
                    notes.add(String.format(java.util.Locale.ROOT, "the new %s was ready %.1f s after the kill (Lease %d s)%s",
                            victim.nodeId(), down.toMillis() / 1000.0, settings.leaseDuration().toSeconds(),
                            down.compareTo(settings.leaseDuration()) < 0 ? "" : ": slower than the Lease, so not a same-incarnation restart"));
                }
            }
            return null;
        }

        void stop() {
            subscribers.forEach(FaultSubscriber::stop);
            publisher.stop().thenRun(() -> entries.forEach(SignedPublisher::close));
        }

        private long[] lastAcknowledged(List<FaultPublisher.Publication> published) {
            long[] last = new long[channels.size()];
            for (FaultPublisher.Publication publication : published) {
                if (publication.acknowledged()) {
                    last[publication.channel()] = Math.max(last[publication.channel()], publication.seq());
                }
            }
            return last;
        }
    }

    /** A watcher on the first gateway, then the ghost on the second, once the watcher saw it join. */
    private Presence joinPresence() throws Exception {
        Presence presence = new Presence();
        presence.member(cluster.gateways().get(0), "watcher", true);
        presence.member(cluster.gateways().get(1), Presence.GHOST, false);
        if (!Waits.until(() -> presence.added.contains(Presence.GHOST), SUBSCRIBE_TIMEOUT.toMillis())) {
            throw new IllegalStateException("the watcher never saw " + Presence.GHOST + " join " + presence.channel);
        }
        return presence;
    }

    /**
     * A presence channel with a watcher on the first gateway and a member on the second, whose
     * gateway is then restarted under the same node id: the member's connection is gone, so the
     * others must get member_removed for it.
     */
    private final class Presence {

        private static final String GHOST = "ghost";
        private final String channel = "presence-fault-" + runs + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        private final Map<String, Long> removed = new ConcurrentHashMap<>();
        private final List<String> added = Collections.synchronizedList(new ArrayList<>());
        private final List<PusherSocket> sockets = new ArrayList<>();

        private void member(NodeProcess gateway, String userId, boolean watching) throws Exception {
            int index = 1000 + sockets.size();
            PusherSocket.EventListener listener = new PusherSocket.EventListener() {
                @Override
                public void onEvent(String frame) {
                }

                @Override
                public void onProtocolFrame(JsonObject frame) {
                    if (!watching) {
                        return;
                    }
                    String event = frame.getString("event");
                    if ("pusher_internal:member_added".equals(event)) {
                        added.add(userId(frame));
                    } else if ("pusher_internal:member_removed".equals(event)) {
                        removed.putIfAbsent(userId(frame), System.nanoTime());
                    }
                }
            };
            java.util.concurrent.CompletableFuture<PusherSocket> joined = new java.util.concurrent.CompletableFuture<>();
            client.socketLoop(index).runOnContext(ignored -> PusherSocket.open(client.client(index), gateway.httpPort(),
                            BenchmarkCluster.APP.key(), listener)
                    .compose(socket -> socket.subscribe(channel, authorization(socket.socketId(), userId)).map(socket))
                    .onComplete(done -> {
                        if (done.succeeded()) {
                            joined.complete(done.result());
                        } else {
                            joined.completeExceptionally(done.cause());
                        }
                    }));
            sockets.add(joined.get(SUBSCRIBE_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        }

        /** The member of a member_added or member_removed frame, whose data the protocol sends as a JSON string. */
        private static String userId(JsonObject frame) {
            Object data = frame.getValue("data");
            JsonObject member = data instanceof JsonObject object ? object : new JsonObject(String.valueOf(data));
            return member.getString("user_id", "");
        }

        private JsonObject authorization(String socketId, String userId) {
            com.pusher.rest.Pusher signer = new com.pusher.rest.Pusher(BenchmarkCluster.APP.id(), BenchmarkCluster.APP.key(),
                    BenchmarkCluster.APP.secret());
            return new JsonObject(signer.authenticate(socketId, channel, new com.pusher.rest.data.PresenceUser(userId)));
        }

        OptionalLong awaitGhostRemoved(long faultAt, Duration timeout) {
            Waits.until(() -> removed.containsKey(GHOST), timeout.toMillis());
            Long at = removed.get(GHOST);
            return at == null ? OptionalLong.empty() : OptionalLong.of((at - faultAt) / 1_000_000);
        }

        void close() {
            for (int i = 0; i < sockets.size(); i++) {
                PusherSocket socket = sockets.get(i);
                client.socketLoop(1000 + i).runOnContext(ignored -> socket.close());
            }
        }
    }
}
