package io.herald.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.herald.contract.PodSettings;

/**
 * {@code ./herald local [--gateways N] [--routers N] [--port P]}: runs a local cluster in the
 * foreground until Ctrl-C or SIGTERM, then stops everything it started. Like a Deployment, it
 * restarts a gateway or router that exits (see {@link Supervisor}), so failover can be tried with
 * {@code kill -9 <PID>} on a laptop.
 */
public final class HeraldCommand {

    private static final String USAGE = """
            usage: herald local [--gateways N] [--routers N] [--port P] [--kubeconfig FILE]
                                [--redis-cluster N]

              --gateways N       gateway processes, on ports P, P+1, ... (default 1)
              --routers N        router processes; they share the shards (default 1)
              --port P           port of the first gateway (default $HERALD_PORT or 6001)
              --kubeconfig FILE  keep the Leases in that cluster's API server instead of a
                                 local one (default $HERALD_KUBECONFIG)
              --redis-cluster N  start a Redis Cluster of N primaries (at least 3) instead of
                                 one Redis; needs redis-server and redis-cli on the PATH

            environment: HERALD_REDIS_URL (use this Redis instead of starting one; with
                           HERALD_REDIS_CLUSTER=true, seed nodes of a Redis Cluster, comma-separated),
                         HERALD_MONGODB_URI (use this MongoDB for the archive instead of
                         starting an embedded MongoDB-wire server),
                         HERALD_APP_ID, HERALD_APP_KEY, HERALD_APP_SECRET (the default app),
                         HERALD_APP_WEBHOOKS (the default app's webhooks:
                           [{"url","eventTypes","channelPrefix"}]),
                         HERALD_APP_SUBSCRIPTION_COUNT (true: the default app counts
                           subscriptions, pusher:subscription_count),
                         HERALD_APPS_FILE (more apps: [{"id","key","secret","clientEvents","webhooks"}]),
                         HERALD_LEASE_DURATION (seconds a silent member stays alive, default 15)
            """;

    private HeraldCommand() {
    }

    public static void main(String[] args) {
        LocalClusterOptions options;
        try {
            options = parse(args, System.getenv(), Path.of(System.getProperty("herald.home", ".")).toAbsolutePath().normalize());
        } catch (IllegalArgumentException e) {
            System.err.println("herald: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        // Registered before the start, so that Ctrl-C at any moment stops what has started: the
        // cluster in order once it exists, then any process it did not know of yet.
        AtomicReference<LocalCluster> created = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("herald: stopping the local cluster");
            LocalCluster starting = created.get();
            if (starting != null) {
                starting.close();
            }
            ChildProcesses.stopAll(LocalCluster.STOP_GRACE);
        }, "herald-shutdown"));
        LocalCluster cluster;
        try {
            cluster = LocalCluster.start(options, created::set);
        } catch (RuntimeException e) {
            System.err.println("herald: could not start the local cluster: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.print(banner(cluster));
        cluster.supervise(System.out::println);
        // The supervisor's thread is a daemon: this one keeps the launcher alive until a signal ends it.
        while (true) {
            Pause.sleep(60_000);
        }
    }

    static LocalClusterOptions parse(String[] args, Map<String, String> env, Path home) {
        if (args.length == 0 || !"local".equals(args[0])) {
            throw new IllegalArgumentException(args.length == 0 ? "missing command" : "unknown command '" + args[0] + "'");
        }
        LocalClusterOptions options = LocalClusterOptions.defaults(home)
                .withApp(AppCredentials.fromEnvironment(env))
                .withRedisUrl(Optional.ofNullable(env.get("HERALD_REDIS_URL")).filter(url -> !url.isBlank()))
                .withMongoUri(Optional.ofNullable(env.get("HERALD_MONGODB_URI")).filter(uri -> !uri.isBlank()))
                // Off by default in a cluster; on a developer's machine it is what they come for.
                .withNodeEnvironment(Map.of(PodSettings.env(PodSettings.CONSOLE_ENABLED), "true"));
        if (env.containsKey("HERALD_KUBECONFIG")) {
            options = options.withKubeconfig(Optional.of(Path.of(env.get("HERALD_KUBECONFIG"))));
        }
        if (env.containsKey("HERALD_LEASE_DURATION")) {
            options = options.withLeaseDuration(java.time.Duration.ofSeconds(
                    number("HERALD_LEASE_DURATION", env.get("HERALD_LEASE_DURATION").replaceFirst("s$", ""))));
        }
        if (env.containsKey("HERALD_PORT")) {
            options = options.withFirstGatewayPort(number("HERALD_PORT", env.get("HERALD_PORT")));
        }
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            options = switch (option) {
                case "--gateways" -> options.withGateways(number(option, value));
                case "--routers" -> options.withRouters(number(option, value));
                case "--port" -> options.withFirstGatewayPort(number(option, value));
                case "--kubeconfig" -> options.withKubeconfig(Optional.of(Path.of(value)));
                case "--redis-cluster" -> options.withRedisCluster(number(option, value));
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            };
        }
        return options;
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, was '" + value + "'");
        }
    }

    static String banner(LocalCluster cluster) {
        LocalClusterOptions options = cluster.options();
        StringBuilder text = new StringBuilder("\nHerald local cluster is ready\n\n");
        text.append("  Redis:      ").append(cluster.redisDescription()).append('\n');
        text.append("  Leases:     ").append(cluster.apiServerDescription()).append('\n');
        text.append("  Archive:    ").append(cluster.mongoDescription()).append('\n');
        for (NodeProcess router : cluster.routers()) {
            text.append("  ").append(router.nodeId()).append(":   PID ").append(router.pid()).append('\n');
        }
        for (NodeProcess gateway : cluster.gateways()) {
            int port = gateway.httpPort();
            text.append("  ").append(gateway.nodeId()).append(":  PID ").append(gateway.pid()).append("   WebSocket ws://127.0.0.1:")
                    .append(port).append("/app/").append(options.app().key()).append("   REST http://127.0.0.1:").append(port).append('\n');
        }
        text.append("\n  App id:     ").append(options.app().id())
                .append("\n  App key:    ").append(options.app().key())
                .append("\n  App secret: ").append(options.app().secret()).append("\n\n");
        int port = cluster.gateways().get(0).httpPort();
        text.append("  Console:    http://127.0.0.1:").append(port).append("/console/ (sign in with the app id, key and secret)\n");
        text.append("  pusher-js:  new Pusher('").append(options.app().key())
                .append("', {cluster: 'local', wsHost: '127.0.0.1', wsPort: ").append(port)
                .append(", forceTLS: false, enabledTransports: ['ws']})\n");
        text.append("  pusher SDK: new Pusher({appId: '").append(options.app().id()).append("', key: '")
                .append(options.app().key()).append("', secret: '").append(options.app().secret())
                .append("', host: '127.0.0.1', port: '").append(port).append("', useTLS: false})\n\n");
        text.append("A gateway or router that exits is restarted (try kill -9 <PID>). Press Ctrl-C to stop.\n");
        return text.toString();
    }
}
