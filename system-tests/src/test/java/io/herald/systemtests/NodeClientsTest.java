package io.herald.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.herald.local.AppCredentials;
import io.herald.local.LocalCluster;
import io.herald.local.NodeProcess;

/**
 * The official npm clients against a real cluster: pusher-js 8 subscribes, the {@code pusher}
 * server SDK publishes, and Node's built-in test runner checks what arrives. The cases live in
 * {@code system-tests/src/test/node/*.test.mjs}; this test installs their pinned dependencies
 * ({@code npm ci}, only when {@code node_modules} is missing or older than the lock file), starts
 * two gateways and a router, and runs {@code node --test} there with the cluster's coordinates in
 * the environment ({@code HERALD_WS_PORTS}, {@code HERALD_APP_ID}, {@code HERALD_APP_KEY},
 * {@code HERALD_APP_SECRET}). Needs Node.js 18 or newer and npm on the PATH.
 */
class NodeClientsTest {

    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration NODE_TEST_TIMEOUT = Duration.ofSeconds(120);
    private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

    private static Path nodeDirectory;
    private static LocalCluster cluster;

    @BeforeAll
    static void installClientsAndStartCluster() throws Exception {
        Path home = Path.of(System.getProperty("herald.home", "..")).toAbsolutePath().normalize();
        nodeDirectory = home.resolve("system-tests/src/test/node");
        assertTrue(Files.isRegularFile(nodeDirectory.resolve("package-lock.json")),
                "no package-lock.json in " + nodeDirectory + " (is herald.home " + home + " the repository root?)");
        String nodeVersion = version("node");
        version(npm());
        int major = Integer.parseInt(nodeVersion.replaceFirst("^v(\\d+).*$", "$1"));
        assertTrue(major >= 18, "the Node tests need Node.js 18 or newer, found " + nodeVersion);
        installDependenciesIfStale();
        cluster = TestClusters.start(NodeClientsTest.class, 2, 1);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void officialNpmClientsPassTheNodeSuite() throws Exception {
        AppCredentials app = cluster.options().app();
        String ports = cluster.gateways().stream().map(gateway -> String.valueOf(gateway.httpPort()))
                .collect(Collectors.joining(","));
        Map<String, String> environment = Map.of(
                "HERALD_HOST", "127.0.0.1",
                "HERALD_WS_PORTS", ports,
                "HERALD_APP_ID", app.id(),
                "HERALD_APP_KEY", app.key(),
                "HERALD_APP_SECRET", app.secret(),
                "NO_COLOR", "1");
        Result result = run("node", List.of("node", "--test"), environment, NODE_TEST_TIMEOUT);
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

    /** Runs {@code npm ci} when node_modules is missing or older than package.json or package-lock.json. */
    private static void installDependenciesIfStale() throws Exception {
        Path modules = nodeDirectory.resolve("node_modules");
        Instant wanted = max(Files.getLastModifiedTime(nodeDirectory.resolve("package-lock.json")),
                Files.getLastModifiedTime(nodeDirectory.resolve("package.json")));
        if (Files.isDirectory(modules) && !Files.getLastModifiedTime(modules).toInstant().isBefore(wanted)) {
            return;
        }
        Result result = run("npm", List.of(npm(), "ci", "--no-audit", "--no-fund"), Map.of(), NPM_CI_TIMEOUT);
        assertEquals(0, result.exitCode(), "npm ci failed in " + nodeDirectory + " (output above)");
        // npm ci leaves the directory's own time at its last change, which may precede the lock file's.
        Files.setLastModifiedTime(modules, FileTime.from(Instant.now()));
    }

    private static Instant max(FileTime a, FileTime b) {
        return a.compareTo(b) >= 0 ? a.toInstant() : b.toInstant();
    }

    private static String npm() {
        return WINDOWS ? "npm.cmd" : "npm";
    }

    /** The version an executable prints, or a failure telling how to get it. */
    private static String version(String executable) throws Exception {
        Result result;
        try {
            result = run(executable, List.of(executable, "--version"), Map.of(), VERSION_TIMEOUT);
        } catch (IOException e) {
            return fail("'" + executable + "' could not be started (" + e.getMessage()
                    + "): install Node.js and npm (Node.js 18 or newer; on Debian: apt-get install -y nodejs npm)");
        }
        assertEquals(0, result.exitCode(), "'" + executable + " --version' failed: install Node.js and npm");
        return result.lines().stream().map(String::trim).filter(line -> line.matches("v?\\d+\\.\\d+.*")).findFirst()
                .orElseGet(() -> fail("'" + executable + " --version' printed no version: " + result.lines()));
    }

    private record Result(int exitCode, List<String> lines) {
    }

    /**
     * Runs a command in the Node directory, echoing its output line by line with a prefix, and
     * kills it (with its children) if it outlives the timeout.
     */
    private static Result run(String label, List<String> command, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(nodeDirectory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        System.out.println("[" + label + "] $ " + String.join(" ", command) + "   (in " + nodeDirectory + ")");
        long started = System.nanoTime();
        Process process = builder.start();
        process.getOutputStream().close();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread echo = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null;) {
                    lines.add(line);
                    System.out.println("[" + label + "] " + line);
                }
            } catch (IOException e) {
                System.out.println("[" + label + "] (output no longer readable: " + e.getMessage() + ")");
            }
        }, label + "-output");
        echo.setDaemon(true);
        echo.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            echo.join(TimeUnit.SECONDS.toMillis(5));
            fail("'" + String.join(" ", command) + "' did not finish within " + timeout.toSeconds() + " s (output above)");
        }
        echo.join(TimeUnit.SECONDS.toMillis(10));
        System.out.printf("[%s] exited with %d after %.1f s%n", label, process.exitValue(), (System.nanoTime() - started) / 1e9);
        return new Result(process.exitValue(), List.copyOf(lines));
    }
}
