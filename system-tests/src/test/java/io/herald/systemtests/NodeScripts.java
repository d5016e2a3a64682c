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

import io.herald.local.AppCredentials;
import io.herald.local.LocalCluster;

/**
 * The Node.js side of the system tests: {@code system-tests/src/test/node}, its pinned npm
 * dependencies (installed with {@code npm ci} when missing or stale), and running commands there.
 * Needs Node.js 18 or newer and npm on the PATH.
 */
final class NodeScripts {

    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(5);
    private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

    private NodeScripts() {
    }

    /** The directory of the Node scripts, checked to hold their lock file. */
    static Path directory() {
        Path home = Path.of(System.getProperty("herald.home", "..")).toAbsolutePath().normalize();
        Path nodeDirectory = home.resolve("system-tests/src/test/node");
        assertTrue(Files.isRegularFile(nodeDirectory.resolve("package-lock.json")),
                "no package-lock.json in " + nodeDirectory + " (is herald.home " + home + " the repository root?)");
        return nodeDirectory;
    }

    /** Checks that Node.js 18 or newer and npm are there, and installs the dependencies if they are stale. */
    static void prepare() throws Exception {
        String nodeVersion = version("node");
        version(npm());
        int major = Integer.parseInt(nodeVersion.replaceFirst("^v(\\d+).*$", "$1"));
        assertTrue(major >= 18, "the Node tests need Node.js 18 or newer, found " + nodeVersion);
        installDependenciesIfStale();
    }

    /** Runs {@code npm ci} when node_modules is missing or older than package.json or package-lock.json. */
    private static void installDependenciesIfStale() throws Exception {
        Path nodeDirectory = directory();
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

    record Result(int exitCode, List<String> lines) {
    }

    /** The cluster's coordinates in the environment variables herald.mjs reads. */
    static Map<String, String> environment(LocalCluster cluster) {
        AppCredentials app = cluster.options().app();
        String ports = cluster.gateways().stream().map(gateway -> String.valueOf(gateway.httpPort()))
                .collect(Collectors.joining(","));
        return Map.of(
                "HERALD_HOST", "127.0.0.1",
                "HERALD_WS_PORTS", ports,
                "HERALD_APP_ID", app.id(),
                "HERALD_APP_KEY", app.key(),
                "HERALD_APP_SECRET", app.secret(),
                "NO_COLOR", "1");
    }

    /**
     * Runs a command in the Node directory, echoing its output line by line with a prefix, and
     * kills it (with its children) if it outlives the timeout.
     */
    static Result run(String label, List<String> command, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        Path nodeDirectory = directory();
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
