package io.herald.benchmark;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.herald.local.NodeProcess;

/**
 * {@code drain}: what a gateway's graceful stop does to its clients. N subscribed connections sit
 * on a gateway started with {@code HERALD_DRAIN_PERIOD}, which is then sent SIGTERM, as
 * Kubernetes does on a scale-down or a rolling update. Each client notes when its close arrived
 * and, like a real client behind a load balancer, reconnects at once to the other gateway and
 * subscribes again. The claim under test is that the surviving gateway sees these reconnects
 * spread over the period rather than all at once; {@code --compare yes} stops a second gateway
 * with a period of 0 s, so the stampede it is compared with is measured, not assumed.
 */
final class DrainScenario implements Scenario {

    private final int connections;
    private final int channels;
    private final int drainSeconds;
    private final int concurrency;
    private final int warmup;
    private final boolean compare;

    DrainScenario(Arguments arguments) {
        connections = arguments.integer("connections", 5_000);
        channels = arguments.integer("channels", 100);
        drainSeconds = arguments.integer("drain-period-seconds", 10);
        concurrency = arguments.integer("concurrency", 200);
        warmup = arguments.integer("warmup-connections", 1_000);
        compare = arguments.yesOrNo("compare", false);
        if (connections < 1 || channels < 1 || concurrency < 1 || drainSeconds > 600) {
            throw new IllegalArgumentException("need --connections, --channels, --concurrency >= 1 and --drain-period-seconds <= 600");
        }
    }

    @Override
    public Table parameters() {
        return new Table("parameter", "value")
                .row("connections (all on the gateway that is stopped)", Table.count(connections))
                .row("channels (each connection subscribes to one)", Table.count(channels))
                .row("drain period of the stopped gateway (HERALD_DRAIN_PERIOD)", drainSeconds + " s")
                .row("handshakes in flight at most, while opening", Table.count(concurrency))
                .row("warm-up connections to gateway-1 (opened and closed first)", Table.count(warmup))
                .row("after its close, each client", "reconnects at once to gateway-1 and subscribes again")
                .row("second pass with a drain period of 0 s (--compare)", compare ? "yes" : "no");
    }

    @Override
    public void run(BenchmarkCluster cluster, LoadClient client, PrintStream out) throws InterruptedException {
        NodeProcess survivor = cluster.gateway(0);
        if (warmup > 0) {
            // Surviving gateways have served for a while; a cold handshake path would make every pass look slow.
            System.err.printf("Warming up gateway-1 with %,d connections%n", warmup);
            ConnectionRamp ramp = new ConnectionRamp(client, survivor.httpPort(), frame -> {
            });
            ConnectionRamp.closeAll(ramp.open(warmup, concurrency, this::channel, Duration.ofMinutes(2)).sockets(), Duration.ofSeconds(30));
        }
        List<Pass> passes = new ArrayList<>();
        passes.add(measure(cluster, client, survivor, "gateway-2", drainSeconds));
        if (compare) {
            passes.add(measure(cluster, client, survivor, "gateway-3", 0));
        }

        out.println("### drain results\n");
        List<String> header = new ArrayList<>(List.of("metric"));
        passes.forEach(pass -> header.add(pass.label()));
        header.add("all at once (computed)");
        Table results = new Table(header.toArray(String[]::new));
        String n = Table.count(connections);
        row(results, passes, "connections subscribed on the stopped gateway", pass -> Table.count(pass.opened), n);
        row(results, passes, "connections lost before SIGTERM", pass -> Table.count(pass.lostEarly.get()), "-");
        row(results, passes, "closes received, by close code", Pass::closeCodes, "-");
        row(results, passes, "SIGTERM to first close", pass -> seconds(pass.closes.firstNanos()), "-");
        row(results, passes, "SIGTERM to last close", pass -> seconds(pass.closes.lastNanos()), "-");
        row(results, passes, "closes per second, busiest second", pass -> Table.count(pass.closes.max()), n);
        row(results, passes, "closes per second, mean from first to last close", pass -> Table.count(pass.closes.mean()), n);
        row(results, passes, "reconnected (connection_established from gateway-1)", pass -> Table.count(pass.back.total()), n);
        row(results, passes, "subscribed again", pass -> Table.count(pass.resubscribed.get()), n);
        row(results, passes, "failed to reconnect or subscribe", Pass::failures, "-");
        row(results, passes, "reconnects per second at gateway-1, busiest second", pass -> Table.count(pass.back.max()), n);
        row(results, passes, "reconnects per second at gateway-1, mean from first to last", pass -> Table.count(pass.back.mean()), n);
        row(results, passes, "close to connection_established, p50 / p99 / max", Pass::reconnectTimes, "-");
        row(results, passes, "SIGTERM to the gateway's exit", pass -> pass.exited == PerSecond.NONE ? "did not exit"
                : seconds(pass.exited - pass.sigterm), "-");
        row(results, passes, "reconnected clients lost again", pass -> Table.count(pass.lostAgain.get()), "-");
        row(results, passes, "gateway-1 CPU from SIGTERM until exit and all back (cores)", pass -> Table.decimal(pass.cpu.of(survivor.nodeId()), 2), "-");
        row(results, passes, "everything else on the machine, the stopped gateway included (cores)", pass -> Table.decimal(pass.cpu.others(), 2), "-");
        out.print(results);
        out.println();

        List<String> columns = new ArrayList<>(List.of("second after SIGTERM"));
        passes.forEach(pass -> {
            columns.add("closes, " + pass.label());
            columns.add("reconnects, " + pass.label());
        });
        Table timeline = new Table(columns.toArray(String[]::new));
        int seconds = passes.stream().mapToInt(pass -> Math.max(pass.closes.seconds(), pass.back.seconds())).max().orElse(0);
        for (int second = 0; second < seconds; second++) {
            List<String> cells = new ArrayList<>(List.of(second + "-" + (second + 1)));
            for (Pass pass : passes) {
                cells.add(Table.count(pass.closes.in(second)));
                cells.add(Table.count(pass.back.in(second)));
            }
            timeline.row(cells.toArray(String[]::new));
        }
        out.print(timeline);
        out.println();
    }

    private static void row(Table table, List<Pass> passes, String metric, Function<Pass, String> measured,
            String computed) {
        List<String> cells = new ArrayList<>(List.of(metric));
        passes.forEach(pass -> cells.add(measured.apply(pass)));
        cells.add(computed);
        table.row(cells.toArray(String[]::new));
    }

    private static String seconds(long nanos) {
        return Table.decimal(nanos / 1e9, 2) + " s";
    }

    /** Starts a gateway with the given drain period, fills it, stops it and follows every client until it is back. */
    private Pass measure(BenchmarkCluster cluster, LoadClient client, NodeProcess survivor, String nodeId, int periodSeconds)
            throws InterruptedException {
        System.err.printf("Starting %s with a drain period of %d s%n", nodeId, periodSeconds);
        NodeProcess draining = cluster.startGateway(nodeId, Map.of("HERALD_DRAIN_PERIOD", periodSeconds + "s"));
        FileLimits.requireRoom(draining, connections);
        FileLimits.requireRoom(survivor, connections);
        Pass pass = new Pass(periodSeconds, client, survivor.httpPort());
        System.err.printf("Opening %,d subscribed connections to %s%n", connections, nodeId);
        ConnectionRamp.Result opened = ConnectionRamp.withListeners(client, draining.httpPort(), pass::listener)
                .open(connections, concurrency, this::channel, Duration.ofMinutes(5));
        if (opened.failed() > 0 || opened.timedOut()) {
            System.err.printf("WARNING: %,d connections failed%s; first: %s%n", opened.failed(),
                    opened.timedOut() ? " (timed out)" : "", opened.firstFailure());
        }
        pass.opened = opened.sockets().size();

        // The stopped gateway's CPU cannot be read once it is gone, and what matters is the survivor's.
        Map<String, Long> watched = new LinkedHashMap<>(cluster.processes());
        watched.remove(nodeId);
        CpuUsage cpu = new CpuUsage(watched, survivor.nodeId());
        cpu.start();
        System.err.printf("SIGTERM to %s%n", nodeId);
        pass.sigterm = System.nanoTime();
        pass.terminated = true;
        cluster.terminate(draining);
        long exitDeadline = pass.sigterm + TimeUnit.SECONDS.toNanos(periodSeconds + 60L);
        while (pass.exited == PerSecond.NONE && System.nanoTime() - exitDeadline < 0) {
            if (draining.process().waitFor(1, TimeUnit.SECONDS)) {
                pass.exited = System.nanoTime();
            } else {
                System.err.printf("  ... %,d closed, %,d back%n", pass.closed.get(), pass.settled.get());
            }
        }
        if (!Waits.until(() -> pass.closed.get() >= pass.opened - pass.lostEarly.get() && pass.settled.get() >= pass.closed.get(),
                60_000)) {
            System.err.printf("WARNING: only %,d of %,d clients closed and %,d of them settled%n", pass.closed.get(), pass.opened,
                    pass.settled.get());
        }
        pass.cpu = cpu.stop();
        pass.summarise();
        // gateway-1 starts the next pass empty, as the stopped gateway did.
        ConnectionRamp.closeAll(List.copyOf(pass.reconnected), Duration.ofSeconds(60));
        return pass;
    }

    private String channel(int index) {
        return "drain-" + (index % channels);
    }

    /**
     * One gateway stopped and its clients followed. Per client only its close moment, close code
     * and reconnect moment are kept, in arrays indexed by connection number.
     */
    private final class Pass {

        final int periodSeconds;
        final LoadClient client;
        final int survivorPort;
        final AtomicLongArray closedAt = filled(connections);
        final AtomicIntegerArray codes = new AtomicIntegerArray(connections);
        final AtomicLongArray backAt = filled(connections);
        final AtomicInteger lostEarly = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicInteger settled = new AtomicInteger();
        final AtomicInteger resubscribed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger lostAgain = new AtomicInteger();
        final AtomicReference<String> firstFailure = new AtomicReference<>();
        final LatencyRecorder reconnectTime = new LatencyRecorder();
        final Queue<PusherSocket> reconnected = new ConcurrentLinkedQueue<>();
        volatile boolean terminated;
        int opened;
        long sigterm;
        long exited = PerSecond.NONE;
        CpuUsage.Result cpu;
        PerSecond closes;
        PerSecond back;

        Pass(int periodSeconds, LoadClient client, int survivorPort) {
            this.periodSeconds = periodSeconds;
            this.client = client;
            this.survivorPort = survivorPort;
        }

        String label() {
            return "drain period " + periodSeconds + " s";
        }

        PusherSocket.EventListener listener(int index) {
            return new Client(index, false);
        }

        /** On the event loop of connection {@code index}, which also serves its replacement. */
        private void closedBy(int index, int closeCode, String reason) {
            if (!terminated) {
                lostEarly.incrementAndGet();
                firstFailure.compareAndSet(null, "connection " + index + " before SIGTERM: " + reason);
                return;
            }
            long closedNanos = System.nanoTime();
            closedAt.set(index, closedNanos);
            codes.set(index, closeCode);
            closed.incrementAndGet();
            PusherSocket.open(client.client(index), survivorPort, BenchmarkCluster.APP.key(), new Client(index, true))
                    .compose(socket -> {
                        long backNanos = System.nanoTime();
                        backAt.set(index, backNanos);
                        reconnectTime.record(backNanos - closedNanos);
                        reconnected.add(socket);
                        return socket.subscribe(channel(index));
                    })
                    .onComplete(done -> {
                        if (done.succeeded()) {
                            resubscribed.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, "connection " + index + ": " + done.cause());
                        }
                        settled.incrementAndGet();
                    });
        }

        void summarise() {
            closes = PerSecond.of(sigterm, snapshot(closedAt));
            back = PerSecond.of(sigterm, snapshot(backAt));
        }

        String closeCodes() {
            Map<Integer, Integer> byCode = new TreeMap<>();
            for (int i = 0; i < connections; i++) {
                if (closedAt.get(i) != PerSecond.NONE) {
                    byCode.merge(codes.get(i), 1, Integer::sum);
                }
            }
            return byCode.isEmpty() ? "none" : byCode.entrySet().stream()
                    .map(entry -> entry.getKey() + ": " + Table.count(entry.getValue()))
                    .collect(Collectors.joining(", "));
        }

        String failures() {
            return failed.get() == 0 ? "0" : Table.count(failed.get()) + " (first: " + firstFailure.get() + ")";
        }

        String reconnectTimes() {
            LatencyRecorder.LatencySummary summary = reconnectTime.summary();
            return LatencyRecorder.LatencySummary.millis(summary.p50()) + " / " + LatencyRecorder.LatencySummary.millis(summary.p99())
                    + " / " + LatencyRecorder.LatencySummary.millis(summary.max());
        }

        /** One client, on the stopped gateway or, as a replacement, on gateway-1. */
        private final class Client implements PusherSocket.EventListener {

            private final int index;
            private final boolean replacement;

            Client(int index, boolean replacement) {
                this.index = index;
                this.replacement = replacement;
            }

            @Override
            public void onEvent(String frame) {
                // nothing is published in this scenario
            }

            @Override
            public void onLost(int closeCode, String reason) {
                if (replacement) {
                    lostAgain.incrementAndGet();
                } else {
                    closedBy(index, closeCode, reason);
                }
            }
        }
    }

    private static AtomicLongArray filled(int length) {
        AtomicLongArray moments = new AtomicLongArray(length);
        for (int i = 0; i < length; i++) {
            moments.set(i, PerSecond.NONE);
        }
        return moments;
    }

    private static long[] snapshot(AtomicLongArray moments) {
        long[] copy = new long[moments.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = moments.get(i);
        }
        return copy;
    }
}
