package io.herald.benchmark;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.herald.local.NodeProcess;

/**
 * {@code memory}: what an idle subscribed connection costs the gateway in resident memory. Reads
 * the gateway's VmRSS from /proc before and after opening N connections (each subscribed to one
 * of C channels, then left idle) and divides the growth by N.
 *
 * <p>The baseline is taken after a warm-up (connections opened and closed, so class loading, JIT
 * and buffer pools are paid for) and a full GC, so that it is the same resting state every run.
 * After the idle reading, another full GC shows how much of the growth is live data and how
 * much is heap the JVM took for garbage and keeps.
 */
final class MemoryScenario implements Scenario {

    static final long TARGET_BYTES = 6 * 1024;

    private final int connections;
    private final int channels;
    private final int warmup;
    private final int idleSeconds;
    private final int concurrency;
    private final boolean collect;

    MemoryScenario(Arguments arguments) {
        connections = arguments.integer("connections", 20_000);
        channels = arguments.integer("channels", 100);
        warmup = arguments.integer("warmup-connections", 1_000);
        idleSeconds = arguments.integer("idle-seconds", 15);
        concurrency = arguments.integer("concurrency", 200);
        collect = arguments.yesOrNo("gc", true);
        if (connections < 1 || channels < 1 || concurrency < 1 || idleSeconds > 3600) {
            throw new IllegalArgumentException("need --connections, --channels, --concurrency >= 1 and --idle-seconds <= 3600");
        }
    }

    @Override
    public Table parameters() {
        return new Table("parameter", "value")
                .row("connections (all on gateway-1)", Table.count(connections))
                .row("channels (each connection subscribes to one)", Table.count(channels))
                .row("warm-up connections (opened and closed first)", Table.count(warmup))
                .row("idle time before reading", idleSeconds + " s")
                .row("full GC (jcmd GC.run) before the baseline and after", collect ? "yes" : "no");
    }

    @Override
    public void run(BenchmarkCluster cluster, LoadClient client, PrintStream out) {
        NodeProcess gateway = cluster.gateway(0);
        long pid = gateway.process().pid();
        Jcmd heap = new Jcmd(pid);
        FileLimits.requireRoom(gateway, Math.max(connections, warmup));
        DeliveryCounter events = new DeliveryCounter(new MeasurementWindow());
        ConnectionRamp ramp = new ConnectionRamp(client, gateway.httpPort(), events);

        if (warmup > 0) {
            System.err.printf("Warming up with %,d subscribed connections%n", warmup);
            ConnectionRamp.closeAll(ramp.open(warmup, concurrency, i -> channel(i), Duration.ofMinutes(2)).sockets(),
                    Duration.ofSeconds(30));
            Waits.sleep(2000);
        }
        if (collect) {
            heap.collect();
            Waits.sleep(2000);
        }
        Reading before = Reading.of(pid, collect ? heap : null);
        Optional<Map<String, long[]>> classesBefore = collect ? heap.liveHistogram() : Optional.empty();

        System.err.printf("Opening %,d connections subscribed to %,d channels%n", connections, channels);
        ConnectionRamp.Result opened = ramp.open(connections, concurrency, i -> channel(i), Duration.ofMinutes(10));
        if (opened.failed() > 0 || opened.timedOut()) {
            System.err.printf("WARNING: %,d connections failed%s; first: %s%n", opened.failed(),
                    opened.timedOut() ? " (timed out)" : "", opened.firstFailure());
        }
        int open = opened.sockets().size();
        System.err.printf("Idle for %d s%n", idleSeconds);
        Waits.sleep(idleSeconds * 1000L);
        Reading idle = Reading.of(pid, null);
        Reading afterGc = null;
        if (collect) {
            heap.collect();
            Waits.sleep(2000);
            afterGc = Reading.of(pid, heap);
        }
        Optional<Map<String, long[]>> classesAfter = collect ? heap.liveHistogram() : Optional.empty();

        double perConnection = (idle.rss - before.rss) / (double) open;
        out.println("### memory results\n");
        Table results = new Table("metric", "value")
                .row("connections open and subscribed", Table.count(open))
                .row("connections failed", Integer.toString(opened.failed()))
                .row("connections lost while idle", Long.toString(events.lostSockets()))
                .row("gateway open files before / after", Table.count(before.openFiles) + " / " + Table.count(idle.openFiles))
                .row("gateway VmRSS before", Table.bytes(before.rss))
                .row("gateway VmRSS after " + idleSeconds + " s idle", Table.bytes(idle.rss))
                .row("VmRSS growth per connection", Table.count(perConnection) + " B (" + Table.bytes(perConnection) + ")");
        if (afterGc != null) {
            results.row("gateway VmRSS after a full GC", Table.bytes(afterGc.rss))
                    .row("VmRSS growth per connection, after full GC", Table.count((afterGc.rss - before.rss) / (double) open) + " B");
            if (before.heap.isPresent() && afterGc.heap.isPresent()) {
                results.row("heap committed before / after", Table.bytes(before.heap.get()[0]) + " / " + Table.bytes(afterGc.heap.get()[0]))
                        .row("live heap before / after (after full GC)", Table.bytes(before.heap.get()[1]) + " / "
                                + Table.bytes(afterGc.heap.get()[1]))
                        .row("live heap per connection", Table.count((afterGc.heap.get()[1] - before.heap.get()[1]) / (double) open) + " B");
            }
        }
        results.row("connect + subscribe rate (setup)", Table.count(opened.perSecond()) + " /s");
        out.print(results);
        out.println();
        if (classesBefore.isPresent() && classesAfter.isPresent() && open > 0) {
            printHeapGrowth(out, classesBefore.get(), classesAfter.get(), open);
        }
        boolean met = perConnection <= TARGET_BYTES;
        out.print(new Table("target", "measured", "met")
                .row("<= 6 KiB (6,144 B) VmRSS per idle connection at 20,000", Table.count(perConnection) + " B at "
                        + Table.count(open) + " connections",
                        !met ? "NO" : open >= 20_000 ? "yes" : "yes, at fewer connections than asked"));
        out.println();
        ConnectionRamp.closeAll(opened.sockets(), Duration.ofSeconds(60));
    }

    /** The classes whose live instances grew most, per connection: where the memory of a connection goes. */
    private static void printHeapGrowth(PrintStream out, Map<String, long[]> before, Map<String, long[]> after, int open) {
        List<Map.Entry<String, long[]>> growth = new ArrayList<>();
        after.forEach((name, counts) -> {
            long[] was = before.getOrDefault(name, new long[2]);
            growth.add(Map.entry(name, new long[] {counts[0] - was[0], counts[1] - was[1]}));
        });
        growth.sort(Comparator.comparingLong((Map.Entry<String, long[]> entry) -> entry.getValue()[1]).reversed());
        Table table = new Table("live heap growth by class (jcmd GC.class_histogram)", "instances per connection", "bytes per connection");
        for (Map.Entry<String, long[]> entry : growth.subList(0, Math.min(15, growth.size()))) {
            table.row(entry.getKey(), Table.decimal(entry.getValue()[0] / (double) open, 2), Table.count(entry.getValue()[1] / (double) open));
        }
        long total = growth.stream().mapToLong(entry -> entry.getValue()[1]).sum();
        table.row("all classes", "", Table.count(total / (double) open));
        out.print(table);
        out.println();
    }

    private String channel(int index) {
        return "idle-" + (index % channels);
    }

    /** The gateway's memory and files at one moment. */
    private record Reading(long rss, int openFiles, Optional<long[]> heap) {

        static Reading of(long pid, Jcmd heap) {
            return new Reading(ProcFs.residentBytes(pid), ProcFs.openFiles(pid),
                    heap == null ? Optional.empty() : heap.committedAndUsed());
        }
    }
}
