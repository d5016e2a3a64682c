package io.herald.gateway.rest;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;

import io.herald.contract.PodSettings;
import io.herald.local.AppCredentials;
import io.herald.local.LocalCluster;
import io.herald.local.LocalClusterOptions;
import io.herald.local.NodeProcess;

/**
 * Not a test: measures what replicated durability costs a REST publish. Starts a Redis primary
 * with one replica, a router, a gateway with immediate and one with replicated durability (the
 * packaged jars of the worktree), and times sequential publishes through pusher-http-java on
 * each. Arguments: publishes per gateway (default 1000), the worktree (default the current
 * directory). The command is in docs/performance.md.
 */
public final class PublishLatency {

    private static final int WARM_UP = 200;

    private PublishLatency() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path home = Path.of(args.length > 1 ? args[1] : ".").toAbsolutePath();
        try (ReplicatedRedis redis = new ReplicatedRedis()) {
            redis.start();
            LocalClusterOptions options = LocalClusterOptions.defaults(home).withFirstGatewayPort(0)
                    .withRedisUrl(Optional.of(redis.primaryUrl()));
            try (LocalCluster cluster = LocalCluster.start(options)) {
                NodeProcess immediate = cluster.gateways().get(0);
                NodeProcess replicated = cluster.startGateway("gateway-replicated",
                        Map.of(PodSettings.env(PodSettings.PUBLISH_DURABILITY), PodSettings.DURABILITY_REPLICATED));
                for (int round = 1; round <= 2; round++) {
                    report("immediate, round " + round, immediate, count, options.app());
                    report("replicated, round " + round, replicated, count, options.app());
                }
            }
        }
    }

    private static void report(String label, NodeProcess gateway, int count, AppCredentials app) throws Exception {
        try (Pusher api = new Pusher(app.id(), app.key(), app.secret())) {
            api.setHost("127.0.0.1:" + gateway.httpPort());
            api.setEncrypted(false);
            for (int i = 0; i < WARM_UP; i++) {
                publish(api, i);
            }
            long[] micros = new long[count];
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long sent = System.nanoTime();
                publish(api, i);
                micros[i] = (System.nanoTime() - sent) / 1000;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Arrays.sort(micros);
            System.out.printf("%-22s %d publishes: mean %.2f ms, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, %.0f/s%n",
                    label, count, Arrays.stream(micros).average().orElse(0) / 1000, micros[count / 2] / 1000.0,
                    micros[count * 9 / 10] / 1000.0, micros[count * 99 / 100] / 1000.0, micros[count - 1] / 1000.0,
                    count / seconds);
        }
    }

    private static void publish(Pusher api, int i) {
        Result result = api.trigger("latency", "tick", Map.of("i", i));
        if (result.getStatus() != Result.Status.SUCCESS) {
            throw new IllegalStateException("publish " + i + " answered " + result.getHttpStatus() + ": " + result.getMessage());
        }
    }
}
