package io.herald.benchmark;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code herald benchmark <scenario> [--option value ...]}: starts a local cluster, runs one
 * scenario against it, prints the results as Markdown and stops every process it started, also
 * on Ctrl-C and when the overall time limit is reached.
 */
public final class BenchmarkCommand {

    private static final String USAGE = """
            usage: herald benchmark <scenario> [--option value ...]

            scenarios:
              fanout       subscribers on channels of one gateway, signed REST publications at a fixed
                           rate: deliveries/s, per gateway core, publish-to-delivery latency
                  --subscribers 1000 --channels 10 --rate 300 (requests/s, 0 = as fast as answered)
                  --channels-per-publish 1 --payload-bytes 100 --warmup-seconds 30 --duration-seconds 60
                  --max-in-flight 64 --gateways 1 --publish-gateway 1 --connect-concurrency 200
              connections  opens connections as fast as the gateway accepts them: connections/s
                  --connections 10000 --concurrency 200 --warmup-connections 1000
              memory       idle subscribed connections: gateway VmRSS growth per connection
                  --connections 20000 --channels 100 --idle-seconds 15 --warmup-connections 1000
                  --concurrency 200 --gc yes|no
              drain        subscribed connections on a gateway that is then stopped (SIGTERM); each client
                           reconnects to the other gateway: closes and reconnects per second, close codes
                  --connections 5000 --channels 100 --drain-period-seconds 10 --concurrency 200
                  --warmup-connections 1000 --compare no|yes (a second pass with a drain period of 0 s)
              faults       2 gateways, 2 routers under steady publishing: kill -9 a router again and again
                           (failover time to the next delivery on every channel), then each other fault
                           once; acknowledged / lost / duplicated / reordered / longest silence per run
                  --kills 10 --rate 200 --channels 16 --subscribers-per-gateway 2 --lease-seconds 15
                  --steady-seconds 5 --faults all|none|<label>,... (router-stop, gateway-kill, ...)
              archive      the router's MongoDB archive (embedded MongoDB-wire server): drain rate of a
                           prefilled backlog, then catch-up after an outage under steady load
                  --backlog 200000 --rate 2000 (entries/s) --outage-seconds 60 --payload-bytes 100
              recovery     a subscriber notes its channel's position and leaves, a gap of events is published,
                           it resubscribes with herald_recover: time from the resubscribe to the last missed
                           event, each missed event checked to arrive once and in order
                  --rounds 50 --warmup-rounds 5 --gap 1000 --history-size 2000 --payload-bytes 100
                  --batch 10 (events per publish request, 1-10) --max-in-flight 64
                  --resubscribe routed|acknowledged (after a witness received the gap, or right after the 200s)
              history-memory  the default history (100 events, 120 s) filled on many channels: Redis memory
                           per channel, by MEMORY USAGE of one channel's keys and by INFO memory
                  --channels 1000 --events 100 --payload-bytes 100 --max-in-flight 2

            every scenario:
                  --client-threads 2      event loops holding the client sockets (plus one for publishing)
                  --source-addresses 4    loopback source addresses 127.0.0.2... the sockets are spread over
                  --timeout-seconds 900   the whole run is stopped after this long (faults: 2400)
                  --node-env K=V,K2=V2    settings for every gateway and router, as environment variables
                                          (e.g. HERALD_HISTORY_SIZE=0 turns channel history off)
              --redis-cluster 0       when 3 or more, a local Redis Cluster of that many primaries instead
                                      of one Redis

            The gateway and router must be built: ./mvnw -B -q install -DskipTests
            """;

    /**
     * Kept so that the level sticks (JUL holds loggers weakly): the launcher's in-process helpers,
     * such as the local Kubernetes API server that keeps Leases, log every request at INFO, which
     * would bury the report.
     */
    private static final Logger QUIET = Logger.getLogger("io.fabric8");

    private BenchmarkCommand() {
    }

    public static void main(String[] args) {
        QUIET.setLevel(Level.WARNING);
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            System.out.print(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        Scenario scenario;
        int clientThreads;
        int sourceAddresses;
        long timeoutSeconds;
        Arguments arguments;
        Map<String, String> nodeEnvironment;
        int redisPrimaries;
        try {
            arguments = new Arguments(args, 1);
            scenario = switch (args[0]) {
                case "fanout" -> new FanoutScenario(arguments);
                case "connections" -> new ConnectionsScenario(arguments);
                case "memory" -> new MemoryScenario(arguments);
                case "drain" -> new DrainScenario(arguments);
                case "faults" -> new FaultsScenario(arguments);
                case "archive" -> new ArchiveScenario(arguments);
                case "recovery" -> new RecoveryScenario(arguments);
                case "history-memory" -> new HistoryMemoryScenario(arguments);
                default -> throw new IllegalArgumentException("unknown scenario '" + args[0] + "'");
            };
            clientThreads = arguments.integer("client-threads", 2);
            sourceAddresses = arguments.integer("source-addresses", 4);
            // Ten router kills with the production Lease take about ten minutes on their own.
            timeoutSeconds = arguments.number("timeout-seconds", scenario instanceof FaultsScenario ? 2400 : 900);
            redisPrimaries = arguments.integer("redis-cluster", 0);
            nodeEnvironment = new LinkedHashMap<>(scenario.nodeEnvironment());
            nodeEnvironment.putAll(settings(arguments.text("node-env", "")));
            arguments.rejectUnknown();
            if (clientThreads < 1 || sourceAddresses < 1 || sourceAddresses > 250 || timeoutSeconds < 1) {
                throw new IllegalArgumentException("need --client-threads >= 1, 1 <= --source-addresses <= 250, --timeout-seconds >= 1");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("herald benchmark: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(args[0], scenario, arguments, nodeEnvironment, redisPrimaries, clientThreads, sourceAddresses, timeoutSeconds, System.out));
    }

    /** {@code KEY=VALUE,KEY2=VALUE2}, as given to {@code --node-env}. */
    private static Map<String, String> settings(String text) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String setting : text.split(",")) {
            if (setting.isBlank()) {
                continue;
            }
            int equals = setting.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("--node-env takes KEY=VALUE,..., got '" + setting + "'");
            }
            settings.put(setting.substring(0, equals).trim(), setting.substring(equals + 1).trim());
        }
        return settings;
    }

    private static int run(String name, Scenario scenario, Arguments arguments, Map<String, String> nodeEnvironment, int redisPrimaries,
            int clientThreads, int sourceAddresses, long timeoutSeconds, PrintStream out) {
        Path home = Path.of(System.getProperty("herald.home", ".")).toAbsolutePath().normalize();
        AtomicReference<BenchmarkCluster> started = new AtomicReference<>();
        // Ctrl-C, SIGTERM and the time limit all end in System.exit: the hook stops the cluster then.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            BenchmarkCluster cluster = started.getAndSet(null);
            if (cluster != null) {
                System.err.println("herald benchmark: stopping the cluster");
                cluster.close();
            }
            stopLeftovers();
        }, "benchmark-shutdown"));
        startWatchdog(timeoutSeconds);

        out.println("## herald benchmark " + String.join(" ", commandLine(name, arguments)) + "\n");
        out.print(MachineInfo.describe(home));
        out.println();
        out.print(scenario.parameters());
        out.println();
        if (!nodeEnvironment.isEmpty()) {
            out.println("Node settings: " + nodeEnvironment + "\n");
        }
        try (LoadClient client = new LoadClient(clientThreads, sourceAddresses)) {
            BenchmarkCluster cluster = null;
            if (scenario.needsCluster()) {
                System.err.println("Starting a cluster: Redis, 1 router, " + scenario.gateways() + " gateway(s)"
                        + (nodeEnvironment.isEmpty() ? "" : ", with " + nodeEnvironment));
                cluster = BenchmarkCluster.start(home, scenario.gateways(), name, nodeEnvironment, redisPrimaries);
                started.set(cluster);
                System.err.println("Cluster logs: " + cluster.logDirectory() + "; Redis: " + cluster.redisDescription());
            }
            try {
                scenario.run(cluster, client, out);
            } finally {
                // Sockets go first, so the gateway is not stopped under 20,000 connections.
                client.close();
                if (started.getAndSet(null) != null) {
                    cluster.close();
                }
            }
            return 0;
        } catch (Exception e) {
            System.err.println("herald benchmark: " + name + " failed: " + e);
            e.printStackTrace();
            return 1;
        }
    }

    private static List<String> commandLine(String name, Arguments arguments) {
        List<String> words = new ArrayList<>();
        words.add(name);
        arguments.given().forEach((option, value) -> {
            words.add("--" + option);
            words.add(value);
        });
        return words;
    }

    /**
     * Processes this JVM started that are still running: a cluster interrupted while starting
     * (before there was a cluster object to close), or a jcmd that hangs. Child processes outlive
     * their parent, so they are ended here: politely first, then forcibly.
     */
    private static void stopLeftovers() {
        List<ProcessHandle> leftovers = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        leftovers.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (leftovers.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Waits.sleep(100);
        }
        leftovers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Ends the run, however it is stuck, once the time limit is reached. */
    private static void startWatchdog(long timeoutSeconds) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(timeoutSeconds * 1000);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("herald benchmark: time limit of " + timeoutSeconds + " s reached; stopping");
            System.exit(3);
        }, "benchmark-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
