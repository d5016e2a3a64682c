package io.herald.systemtests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.herald.local.LocalCluster;
import io.herald.local.LocalClusterOptions;
import io.herald.local.NodeProcess;

/**
 * The official npm clients against a real cluster: pusher-js 8 subscribes, the {@code pusher}
 * server SDK publishes, and Node's built-in test runner checks what arrives. The cases live in
 * {@code system-tests/src/test/node/*.test.mjs}; this test installs their pinned dependencies
 * ({@code npm ci}, only when {@code node_modules} is missing or older than the lock file), starts
 * two gateways and a router, and runs {@code node --test} there with the cluster's coordinates in
 * the environment ({@code HERALD_WS_PORTS}, {@code HERALD_APP_ID}, {@code HERALD_APP_KEY},
 * {@code HERALD_APP_SECRET}, and {@code HERALD_COUNTING_APP_*} for a second app that counts
 * subscriptions). Needs Node.js 18 or newer and npm on the PATH.
 */
class NodeClientsTest {

    private static final Duration NODE_TEST_TIMEOUT = Duration.ofSeconds(180);
    /** A second app, with subscription counting on, for subscription-count.test.mjs. */
    private static final String COUNTING_APP = "counting";

    private static LocalCluster cluster;

    @BeforeAll
    static void installClientsAndStartCluster() throws Exception {
        NodeScripts.prepare();
        cluster = TestClusters.start(NodeClientsTest.class, 2, 1, LocalClusterOptions.DEFAULT_LEASE_DURATION,
                Map.of("HERALD_APPS_JSON", "[{\"id\":\"" + COUNTING_APP + "\",\"key\":\"" + COUNTING_APP + "-key\","
                        + "\"secret\":\"" + COUNTING_APP + "-secret\",\"subscriptionCount\":true}]"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void officialNpmClientsPassTheNodeSuite() throws Exception {
        Map<String, String> environment = new HashMap<>(NodeScripts.environment(cluster));
        environment.putAll(Map.of(
                "HERALD_COUNTING_APP_ID", COUNTING_APP,
                "HERALD_COUNTING_APP_KEY", COUNTING_APP + "-key",
                "HERALD_COUNTING_APP_SECRET", COUNTING_APP + "-secret"));
        NodeScripts.Result result = NodeScripts.run("node", List.of("node", "--test"), environment, NODE_TEST_TIMEOUT);
        if (result.exitCode() != 0) {
            String failures = result.lines().stream()
                    .filter(line -> line.startsWith("not ok") || line.startsWith("\u2716") || line.matches("^(#|\u2139) fail \\d+$"))
                    .collect(Collectors.joining("\n"));
            String dead = cluster.firstDead().map(NodeProcess::nodeId)
                    .map(id -> "\n(" + id + " died during the run; see system-tests/target/cluster-logs/NodeClientsTest)")
                    .orElse("");
            fail("node --test exited with " + result.exitCode() + " (output above):\n" + failures + dead);
        }
        // The summary reads "# pass N" in TAP (Node 18 and 20 without a terminal), "\u2139 pass N" in the spec reporter.
        assertTrue(result.lines().stream().anyMatch(line -> line.matches("^(#|\u2139) pass [1-9]\\d*$")),
                "node --test ran no test");
    }
}
