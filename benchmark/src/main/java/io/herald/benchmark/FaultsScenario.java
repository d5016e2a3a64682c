package io.herald.benchmark;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.herald.local.LocalCluster;
import io.herald.local.LocalClusterOptions;

/**
 * {@code faults}: the long version of the fault-injection suite (system-tests'
 * FaultInjectionTest is the quick one). Kills a router with SIGKILL again and again under load,
 * restarting it after each measurement, and reports the failover time, from the kill to the next
 * delivery on every channel, over all kills; then runs each other fault once. Every run is
 * reported with the per-scenario table of {@link FaultReport}.
 */
final class FaultsScenario implements Scenario {

    private final int kills;
    private final int channels;
    private final int rate;
    private final int subscribersPerGateway;
    private final int leaseSeconds;
    private final int steadySeconds;
    private final List<Fault> others;

    FaultsScenario(Arguments arguments) {
        kills = arguments.integer("kills", 10);
        channels = arguments.integer("channels", 16);
        rate = arguments.integer("rate", 200);
        subscribersPerGateway = arguments.integer("subscribers-per-gateway", 2);
        leaseSeconds = arguments.integer("lease-seconds", 15);
        steadySeconds = arguments.integer("steady-seconds", 5);
        String faults = arguments.text("faults", "all");
        others = switch (faults) {
            case "all" -> Arrays.stream(Fault.values()).filter(fault -> fault != Fault.ROUTER_KILL).toList();
            case "none" -> List.of();
            default -> Arrays.stream(faults.split(",")).map(String::trim).map(Fault::ofLabel).toList();
        };
        if (channels < 1 || rate < 1 || subscribersPerGateway < 1 || leaseSeconds < 1) {
            throw new IllegalArgumentException("need --channels, --rate, --subscribers-per-gateway and --lease-seconds >= 1");
        }
    }

    @Override
    public boolean needsCluster() {
        return false;
    }

    @Override
    public Table parameters() {
        return new Table("parameter", "value")
                .row("cluster", "2 gateways, 2 routers, Redis, local API server (Lease " + leaseSeconds + " s)")
                .row("router kills (SIGKILL, restarted under the same node id after each)", Table.count(kills))
                .row("other faults, once each", others.isEmpty() ? "none" : String.join(", ", others.stream().map(Fault::label).toList()))
                .row("signed REST publications per second, round robin over both gateways", Table.count(rate))
                .row("channels (at most one publication in flight on each)", Table.count(channels))
                .row("subscribers per gateway, each on every channel", Table.count(subscribersPerGateway))
                .row("steady publishing before each fault and after recovery", steadySeconds + " s");
    }

    @Override
    public void run(BenchmarkCluster unused, LoadClient client, PrintStream out) throws Exception {
        Path home = Path.of(System.getProperty("herald.home", ".")).toAbsolutePath().normalize();
        Path logs = home.resolve("benchmark/target/cluster-logs")
                .resolve("faults-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Duration lease = Duration.ofSeconds(leaseSeconds);
        LocalClusterOptions options = LocalClusterOptions.defaults(home).withGateways(2).withRouters(2).withFirstGatewayPort(0)
                .withApp(BenchmarkCluster.APP).withRedisUrl(Optional.empty()).withLeaseDuration(lease).withLogDirectory(logs)
                .withNodeEnvironment(FaultHarness.NODE_SETTINGS);
        System.err.println("Cluster logs: " + logs);
        List<FaultReport> reports = new ArrayList<>();
        List<Long> failovers = new ArrayList<>();
        int neverServed = 0;
        FaultHarness.Settings settings = new FaultHarness.Settings(channels, rate, subscribersPerGateway,
                Duration.ofSeconds(steadySeconds), lease);
        try (FaultHarness harness = FaultHarness.start(() -> LocalCluster.start(options), settings, System.err)) {
            for (int kill = 1; kill <= kills; kill++) {
                System.err.printf("Router kill %d of %d%n", kill, kills);
                FaultReport report = harness.run(Fault.ROUTER_KILL);
                reports.add(report);
                if (report.nextDeliveryOnEveryChannelMillis() < 0) {
                    neverServed++;
                } else {
                    failovers.add(report.nextDeliveryOnEveryChannelMillis());
                }
            }
            for (Fault fault : others) {
                reports.add(harness.run(fault));
            }
        }
        if (kills > 0) {
            out.println("### router failover: SIGKILL to the next delivery on every channel\n");
            long[] sorted = failovers.stream().mapToLong(Long::longValue).sorted().toArray();
            Table failover = new Table("kills", "min", "p50", "p99", "max", "kills after which some channel never delivered again");
            failover.row(Table.count(kills), percentile(sorted, 0), percentile(sorted, 0.5), percentile(sorted, 0.99),
                    percentile(sorted, 1), Table.count(neverServed));
            out.print(failover);
            out.println();
        }
        out.println("### every run\n");
        out.print(FaultReport.summary(reports));
        out.println();
        for (FaultReport report : reports) {
            if (!report.brokenPromises().isEmpty() || !report.notes().isEmpty()) {
                out.println("- " + report.fault().label() + ": " + String.join("; ", report.brokenPromises())
                        + (report.notes().isEmpty() ? "" : " (" + String.join("; ", report.notes()) + ")"));
            }
        }
    }

    /** The nearest-rank percentile, in seconds. */
    private static String percentile(long[] sortedMillis, double fraction) {
        if (sortedMillis.length == 0) {
            return "-";
        }
        int rank = Math.max(1, (int) Math.ceil(fraction * sortedMillis.length));
        return FaultReport.seconds(sortedMillis[rank - 1]);
    }
}
