package io.herald.benchmark;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.herald.local.NodeProcess;

/**
 * {@code fanout}: S subscribers on C public channels of one gateway, a publisher sending signed
 * REST publications at a fixed rate, each delivered to every subscriber of its channel. Measures
 * deliveries per second, per core the gateway used, and publish-to-delivery latency.
 */
final class FanoutScenario implements Scenario {

    static final double TARGET_PER_CORE = 50_000;
    static final double TARGET_P99_MILLIS = 50;

    private final int subscribers;
    private final int channels;
    private final long rate;
    private final int channelsPerPublish;
    private final int payloadBytes;
    private final int warmupSeconds;
    private final int durationSeconds;
    private final int maxInFlight;
    private final int gateways;
    private final int publishGateway;
    private final int connectConcurrency;

    FanoutScenario(Arguments arguments) {
        subscribers = arguments.integer("subscribers", 1_000);
        channels = arguments.integer("channels", 10);
        rate = arguments.number("rate", 300);
        channelsPerPublish = arguments.integer("channels-per-publish", 1);
        payloadBytes = arguments.integer("payload-bytes", 100);
        warmupSeconds = arguments.integer("warmup-seconds", 30);
        durationSeconds = arguments.integer("duration-seconds", 60);
        maxInFlight = arguments.integer("max-in-flight", 64);
        gateways = arguments.integer("gateways", 1);
        publishGateway = arguments.integer("publish-gateway", 1);
        connectConcurrency = arguments.integer("connect-concurrency", 200);
        if (subscribers < 1 || channels < 1 || channels > subscribers) {
            throw new IllegalArgumentException("need 1 <= --channels <= --subscribers");
        }
        if (channelsPerPublish < 1 || channelsPerPublish > Math.min(100, channels)) {
            throw new IllegalArgumentException("--channels-per-publish must be 1 to min(100, --channels)");
        }
        if (publishGateway < 1 || publishGateway > gateways) {
            throw new IllegalArgumentException("--publish-gateway must be 1 to --gateways");
        }
        if (durationSeconds < 1 || durationSeconds > 3600 || warmupSeconds > 600 || maxInFlight < 1) {
            throw new IllegalArgumentException("need 1 <= --duration-seconds <= 3600, --warmup-seconds <= 600, --max-in-flight >= 1");
        }
    }

    @Override
    public int gateways() {
        return gateways;
    }

    @Override
    public Table parameters() {
        return new Table("parameter", "value")
                .row("subscribers (all on gateway-1)", Table.count(subscribers))
                .row("channels", Table.count(channels))
                .row("subscribers per channel", Table.decimal(subscribers / (double) channels, 1))
                .row("publish rate", rate == 0 ? "as fast as answered" : Table.count(rate) + " requests/s")
                .row("channels per request", Integer.toString(channelsPerPublish))
                .row("offered deliveries", rate == 0 ? "-" : Table.count(rate * channelsPerPublish * (double) subscribers / channels) + " /s")
                .row("event data size", payloadBytes + " B")
                .row("requests in flight at most", Integer.toString(maxInFlight))
                .row("published through", "gateway-" + publishGateway + " of " + gateways)
                .row("warm-up, measured", warmupSeconds + " s, " + durationSeconds + " s");
    }

    @Override
    public void run(BenchmarkCluster cluster, LoadClient client, PrintStream out) throws Exception {
        NodeProcess gateway = cluster.gateway(0);
        MeasurementWindow window = new MeasurementWindow();
        DeliveryCounter deliveries = new DeliveryCounter(window);

        System.err.printf("Subscribing %,d connections to %,d channels on %s%n", subscribers, channels, gateway.nodeId());
        ConnectionRamp.Result ramp = new ConnectionRamp(client, gateway.httpPort(), deliveries)
                .open(subscribers, connectConcurrency, i -> channel(i % channels), Duration.ofMinutes(5));
        if (ramp.failed() > 0 || ramp.timedOut()) {
            throw new IllegalStateException(ramp.failed() + " subscribers failed" + (ramp.timedOut() ? " (timed out)" : "")
                    + "; first: " + ramp.firstFailure());
        }
        long[] perChannel = new long[channels];
        for (int i = 0; i < subscribers; i++) {
            perChannel[i % channels]++;
        }
        List<String> names = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < channels; c++) {
            names.add(channel(c));
            index.put(channel(c), c);
        }

        SignedPublisher publisher = new SignedPublisher(client.vertx(), cluster.gateway(publishGateway - 1).httpPort(),
                BenchmarkCluster.APP, maxInFlight);
        PublishLoop publishing = new PublishLoop(client.publisherLoop(), publisher, names, channelsPerPublish, payloadBytes,
                rate, maxInFlight, window, targets -> targets.stream().mapToLong(name -> perChannel[index.get(name)]).sum());
        CpuUsage cpu = new CpuUsage(cluster.processes(), gateway.nodeId());

        System.err.printf("Publishing: %d s warm-up, then %d s measured%n", warmupSeconds, durationSeconds);
        publishing.start();
        Waits.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
        // jcmd is a JVM of its own: read the gateway's GC counters just outside the window, not in it.
        Jcmd gatewayJvm = new Jcmd(gateway.process().pid());
        Optional<long[]> gcBefore = gatewayJvm.gcPauses();
        long receivedBefore = deliveries.received();
        window.open();
        cpu.start();
        for (int second = 1; second <= durationSeconds; second++) {
            long before = deliveries.received();
            Waits.sleep(1000);
            if (second % 5 == 0 || second == durationSeconds) {
                System.err.printf("  %3d s: %,d deliveries in the last second%n", second, deliveries.received() - before);
            }
        }
        window.close();
        CpuUsage.Result used = cpu.stop();
        long receivedDuring = deliveries.received() - receivedBefore;
        Optional<long[]> gcAfter = gatewayJvm.gcPauses();
        PublishLoop.Stats published = publishing.stop().get(60, TimeUnit.SECONDS);
        // Deliveries of the last publications are still on their way; give them a bounded moment.
        Waits.until(() -> deliveries.receivedOfWindow() >= published.expectedDeliveriesOfWindow(), 30_000);

        double seconds = window.seconds();
        double perSecond = receivedDuring / seconds;
        double gatewayCores = used.of(gateway.nodeId());
        double perGatewayCore = perSecond / Math.max(gatewayCores, 1e-9);
        LatencyRecorder.LatencySummary latency = deliveries.latency();
        double publications = published.acceptedOfWindow() * (double) channelsPerPublish / seconds;

        out.println("### fanout results\n");
        out.print(new Table("metric", "value")
                .row("deliveries received per second", Table.count(perSecond))
                .row("gateway CPU used (cores)", Table.decimal(gatewayCores, 2))
                .row("deliveries per gateway core-second", Table.count(perGatewayCore))
                .row("deliveries per machine core (" + Runtime.getRuntime().availableProcessors() + ")",
                        Table.count(perSecond / Runtime.getRuntime().availableProcessors()))
                .row("publish requests accepted per second", Table.count(published.acceptedOfWindow() / seconds))
                .row("server CPU per publication (gateways, router, Redis)", micros(serverCores(used), publications))
                .row("of which router / Redis", micros(used.of("router-1"), publications) + " / " + micros(used.of("redis"), publications))
                .row("latency p50", LatencyRecorder.LatencySummary.millis(latency.p50()))
                .row("latency p90", LatencyRecorder.LatencySummary.millis(latency.p90()))
                .row("latency p99", LatencyRecorder.LatencySummary.millis(latency.p99()))
                .row("latency p99.9", LatencyRecorder.LatencySummary.millis(latency.p999()))
                .row("latency max", LatencyRecorder.LatencySummary.millis(latency.max()))
                .row("deliveries measured / expected", Table.count(deliveries.receivedOfWindow()) + " / "
                        + Table.count(published.expectedDeliveriesOfWindow()))
                .row("publish answer p50 / p99", LatencyRecorder.LatencySummary.millis(published.answers().p50()) + " / "
                        + LatencyRecorder.LatencySummary.millis(published.answers().p99()))
                .row("publish requests failed", published.failed() == 0 ? "0"
                        : published.failed() + " (first: " + published.firstFailure() + ")")
                .row("subscribers lost", deliveries.lostSockets() == 0 ? "0"
                        : deliveries.lostSockets() + " (first: " + deliveries.firstLostReason() + ")")
                .row("gateway GC pauses (count, total, mean)", gcPauses(gcBefore, gcAfter))
                .row("subscribe rate (setup)", Table.count(ramp.perSecond()) + " /s"));
        out.println();
        Reports.printCpu(out, used);
        out.print(new Table("target", "measured", "met")
                .row(">= 50,000 deliveries/s per gateway core", Table.count(perGatewayCore), Reports.yes(perGatewayCore >= TARGET_PER_CORE))
                .row("p99 < 50 ms", LatencyRecorder.LatencySummary.millis(latency.p99()),
                        Reports.yes(latency.count() > 0 && latency.p99() < TARGET_P99_MILLIS * 1_000_000)));
        out.println();
        ConnectionRamp.closeAll(ramp.sockets(), Duration.ofSeconds(30));
    }

    private static String gcPauses(Optional<long[]> before, Optional<long[]> after) {
        if (before.isEmpty() || after.isEmpty()) {
            return "unknown (no jcmd)";
        }
        long count = after.get()[0] - before.get()[0];
        long millis = after.get()[1] - before.get()[1];
        return count + ", " + millis + " ms, " + (count == 0 ? "-" : Table.decimal(millis / (double) count, 1) + " ms");
    }

    /** CPU of every process of the cluster, the load generator left out. */
    private static double serverCores(CpuUsage.Result used) {
        return used.cores().entrySet().stream().filter(process -> !process.getKey().equals("load-generator"))
                .mapToDouble(java.util.Map.Entry::getValue).sum();
    }

    /** CPU time per publication (one event on one channel), from cores used and publications per second. */
    private static String micros(double cores, double publicationsPerSecond) {
        return publicationsPerSecond == 0 ? "-" : Table.decimal(cores / publicationsPerSecond * 1e6, 1) + " µs";
    }

    static String channel(int index) {
        return "bench-" + index;
    }

}
