package io.herald.benchmark;

import java.io.PrintStream;
import java.time.Duration;

import io.herald.local.NodeProcess;

/**
 * {@code connections}: opens N connections to one gateway as fast as it accepts them and counts
 * how many per second complete the WebSocket handshake and receive
 * {@code pusher:connection_established}, as after a deploy when every client reconnects.
 */
final class ConnectionsScenario implements Scenario {

    private final int connections;
    private final int concurrency;
    private final int warmup;

    ConnectionsScenario(Arguments arguments) {
        connections = arguments.integer("connections", 10_000);
        concurrency = arguments.integer("concurrency", 200);
        warmup = arguments.integer("warmup-connections", 1_000);
        if (connections < 1 || concurrency < 1) {
            throw new IllegalArgumentException("--connections and --concurrency must be at least 1");
        }
    }

    @Override
    public Table parameters() {
        return new Table("parameter", "value")
                .row("connections", Table.count(connections))
                .row("handshakes in flight at most", Table.count(concurrency))
                .row("warm-up connections (opened and closed first)", Table.count(warmup));
    }

    @Override
    public void run(BenchmarkCluster cluster, LoadClient client, PrintStream out) {
        NodeProcess gateway = cluster.gateway(0);
        FileLimits.requireRoom(gateway, Math.max(connections, warmup));
        PusherSocket.EventListener ignoreEvents = frame -> {
        };
        ConnectionRamp ramp = new ConnectionRamp(client, gateway.httpPort(), ignoreEvents);
        if (warmup > 0) {
            System.err.printf("Warming up with %,d connections%n", warmup);
            ConnectionRamp.closeAll(ramp.open(warmup, concurrency, null, Duration.ofMinutes(2)).sockets(), Duration.ofSeconds(30));
            Waits.sleep(2000);
        }
        System.err.printf("Opening %,d connections, %,d at a time%n", connections, concurrency);
        CpuUsage cpu = new CpuUsage(cluster.processes(), gateway.nodeId());
        cpu.start();
        ConnectionRamp.Result result = ramp.open(connections, concurrency, null, Duration.ofMinutes(5));
        CpuUsage.Result used = cpu.stop();

        out.println("### connections results\n");
        out.print(new Table("metric", "value")
                .row("connections established", Table.count(result.sockets().size()))
                .row("failed", result.failed() == 0 ? "0" : result.failed() + " (first: " + result.firstFailure() + ")")
                .row("timed out", result.timedOut() ? "yes" : "no")
                .row("time", Table.decimal(result.elapsedNanos() / 1e9, 2) + " s")
                .row("connections per second", Table.count(result.perSecond()))
                .row("per gateway core-second", Table.count(result.perSecond() / Math.max(used.of(gateway.nodeId()), 1e-9)))
                .row("handshake p50", LatencyRecorder.LatencySummary.millis(result.handshakes().p50()))
                .row("handshake p99", LatencyRecorder.LatencySummary.millis(result.handshakes().p99()))
                .row("handshake max", LatencyRecorder.LatencySummary.millis(result.handshakes().max())));
        out.println();
        Reports.printCpu(out, used);
        ConnectionRamp.closeAll(result.sockets(), Duration.ofSeconds(60));
    }
}
