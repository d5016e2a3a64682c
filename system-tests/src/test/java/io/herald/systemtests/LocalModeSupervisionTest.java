package io.herald.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.herald.contract.JvmSettings;
import io.herald.local.FreePorts;

/**
 * {@code ./herald local} behaves like a Deployment: the launcher, run as a user runs it, restarts a
 * gateway or a router killed with SIGKILL under the same node id and port and says so in one
 * line, and SIGTERM to the launcher leaves no process of the cluster behind, also while the
 * cluster still starts. Its nodes run the JVM settings the operator's pods run ({@link JvmSettings}).
 */
class LocalModeSupervisionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @Test
    void aKilledNodeIsRestartedOnItsPortAndStoppingTheLauncherLeavesNoProcessBehind() throws Exception {
        int port = FreePorts.find();
        Process launcher = launcher(port);
        List<String> lines = output(launcher);
        Set<ProcessHandle> started = new HashSet<>();
        try {
            await().atMost(TIMEOUT).until(() -> has(lines, "Press Ctrl-C to stop.") || !launcher.isAlive());
            assertTrue(launcher.isAlive(), "the launcher ended: " + lines);
            long gatewayPid = pid(lines, "gateway-1");
            long routerPid = pid(lines, "router-1");
            launcher.descendants().forEach(started::add);

            ProcessHandle.of(gatewayPid).orElseThrow().destroyForcibly();
            Pattern gatewayBack = Pattern.compile("herald: gateway-1 exited with code 137; restarted it after 1 s as PID (\\d+)");
            await().atMost(TIMEOUT).until(() -> find(lines, gatewayBack).isPresent());
            long newGateway = Long.parseLong(find(lines, gatewayBack).get().group(1));
            assertNotEquals(gatewayPid, newGateway);
            List<String> arguments = ProcessHandle.of(newGateway).flatMap(process -> process.info().arguments())
                    .map(List::of).orElse(List.of());
            assertTrue(arguments.containsAll(JvmSettings.OPTIONS), "a restarted gateway runs the pods' JVM settings: " + arguments);
            await().atMost(TIMEOUT).until(() -> ready(port));

            ProcessHandle.of(routerPid).orElseThrow().destroyForcibly();
            Pattern routerBack = Pattern.compile("herald: router-1 exited with code 137; restarted it after 1 s as PID (\\d+)");
            await().atMost(TIMEOUT).until(() -> find(lines, routerBack).isPresent());
            assertTrue(ProcessHandle.of(newGateway).map(ProcessHandle::isAlive).orElse(false), "the gateway kept serving");
            launcher.descendants().forEach(started::add);
        } finally {
            launcher.destroy();
            assertTrue(launcher.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the launcher stopped on SIGTERM");
            launcher.descendants().forEach(started::add);
        }
        assertNoneLeft(started);
        assertTrue(started.size() >= 5, "saw Redis, the first gateway and router and their replacements: " + started.size());
    }

    /** Ctrl-C while the nodes start, the longest part of a start: what has started stops too. */
    @Test
    void aLauncherStoppedWhileItsNodesStartLeavesNoProcessBehind() throws Exception {
        Process launcher = launcher(FreePorts.find());
        List<String> lines = output(launcher);
        Set<ProcessHandle> started = new HashSet<>();
        try {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> {
                launcher.descendants().forEach(started::add);
                return started.stream().anyMatch(process -> process.info().commandLine().orElse("").contains("gateway/target"))
                        || !launcher.isAlive();
            });
            assertTrue(launcher.isAlive(), "the launcher ended: " + lines);
            assertTrue(!has(lines, "Press Ctrl-C to stop."), "the cluster was still starting");
        } finally {
            launcher.destroy();
            assertTrue(launcher.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the launcher stopped on SIGTERM");
        }
        assertNoneLeft(started);
        assertTrue(started.size() >= 3, "saw Redis, the router and the gateway start: " + started);
    }

    /**
     * Ctrl-C before the cluster exists, while its Redis Cluster's nodes start (the start's first
     * part): those nodes stop too, the ones that start after the signal included.
     */
    @Test
    void aLauncherStoppedWhileItsRedisClusterStartsLeavesNoRedisBehind() throws Exception {
        Set<Long> before = strayRedisClusterNodes();
        Process launcher = launcher(FreePorts.find(), "--redis-cluster", "3");
        List<String> lines = output(launcher);
        try {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
                    .until(() -> launcher.descendants().anyMatch(LocalModeSupervisionTest::isRedisClusterNode) || !launcher.isAlive());
            assertTrue(launcher.isAlive(), "the launcher ended: " + lines);
            assertTrue(!has(lines, "Press Ctrl-C to stop."), "the cluster was still starting: " + lines);
        } finally {
            launcher.destroy();
            assertTrue(launcher.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the launcher stopped on SIGTERM");
        }
        Set<Long> left = strayRedisClusterNodes();
        left.removeAll(before);
        left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        assertEquals(Set.of(), left, "Redis Cluster nodes left behind by the launcher");
    }

    /** Redis Cluster nodes running that this JVM did not start: a launcher's, once it has exited. */
    private static Set<Long> strayRedisClusterNodes() {
        Set<Long> ours = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        return ProcessHandle.allProcesses().filter(LocalModeSupervisionTest::isRedisClusterNode).map(ProcessHandle::pid).filter(pid -> !ours.contains(pid)).collect(Collectors.toCollection(HashSet::new));
    }

    /**
     * A Redis Cluster node, by the title {@code redis-server} gives its process
     * ({@code redis-server 127.0.0.1:<port> [cluster]}), which only {@code /proc} shows: the JDK
     * names the executable, and Debian's {@code redis-server} is a link to {@code redis-check-rdb}.
     */
    private static boolean isRedisClusterNode(ProcessHandle process) {
        try {
            String title = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return title.contains("redis-server") && title.contains("[cluster]");
        } catch (IOException | UncheckedIOException gone) {
            return false;
        }
    }

    /** The launcher as a user runs it, with one gateway on the port and one router. */
    private static Process launcher(int port, String... options) throws IOException {
        Path home = Path.of(System.getProperty("herald.home", "..")).toAbsolutePath().normalize();
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Dherald.home=" + home, "-jar", home.resolve("local/target/herald-local.jar").toString(),
                "local", "--gateways", "1", "--routers", "1", "--port", Integer.toString(port))
                .redirectErrorStream(true);
        builder.command().addAll(List.of(options));
        builder.environment().put("HERALD_LEASE_DURATION", "5");
        return builder.start();
    }

    /** The launcher's output lines, as they come. */
    private static List<String> output(Process launcher) {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> readLines(launcher, lines), "launcher-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static void assertNoneLeft(Set<ProcessHandle> started) {
        List<ProcessHandle> left = started.stream().filter(ProcessHandle::isAlive).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        assertEquals(List.of(), left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList(),
                "processes left behind by the launcher");
    }

    private static void readLines(Process process, List<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null;) {
                lines.add(line);
            }
        } catch (IOException ended) {
            // the launcher exited
        }
    }

    private static boolean has(List<String> lines, String text) {
        synchronized (lines) {
            return lines.stream().anyMatch(line -> line.contains(text));
        }
    }

    private static Optional<Matcher> find(List<String> lines, Pattern pattern) {
        synchronized (lines) {
            return lines.stream().map(pattern::matcher).filter(Matcher::find).findFirst();
        }
    }

    /** The PID the banner printed for a node: {@code "  router-1:   PID 1234"}. */
    private static long pid(List<String> lines, String nodeId) {
        Pattern banner = Pattern.compile("^\\s+" + Pattern.quote(nodeId) + ":\\s+PID (\\d+)");
        return Long.parseLong(find(lines, banner).orElseThrow(() -> new AssertionError("no PID for " + nodeId + " in " + lines)).group(1));
    }

    private static boolean ready(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
