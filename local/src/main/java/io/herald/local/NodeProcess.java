package io.herald.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.herald.contract.JvmSettings;
import io.herald.contract.PodSettings;

/**
 * A gateway, router or operator running as its own JVM, as it would in its own pod. It remembers
 * how it was launched, so that a fresh process can take its place under the same node id and
 * port, as a container restarted in its pod does.
 */
public final class NodeProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String nodeId;
    private final int httpPort;
    private final Process process;
    private final Path application;
    private final Map<String, String> environment;
    private final Optional<Path> logDirectory;
    private final long startedNanos = System.nanoTime();

    private NodeProcess(String nodeId, int httpPort, Process process, Path application, Map<String, String> environment,
            Optional<Path> logDirectory) {
        this.nodeId = nodeId;
        this.httpPort = httpPort;
        this.process = process;
        this.application = application;
        this.environment = Map.copyOf(environment);
        this.logDirectory = logDirectory;
    }

    /**
     * Starts {@code java <JvmSettings.OPTIONS> -jar <application>} with the given environment; its output goes to
     * {@code <logDirectory>/<nodeId>.log}, or is echoed with a {@code [nodeId]} prefix.
     */
    public static NodeProcess start(String nodeId, Path application, int httpPort, Map<String, String> environment,
            Optional<Path> logDirectory) {
        return launch(nodeId, application, httpPort, environment, logDirectory, ProcessBuilder.Redirect::to);
    }

    /**
     * Starts a fresh process exactly as this one was started: same node id, port and environment;
     * its output is appended to the same log file. Does not stop this one.
     */
    public NodeProcess startAgain() {
        return launch(nodeId, application, httpPort, environment, logDirectory, ProcessBuilder.Redirect::appendTo);
    }

    private static NodeProcess launch(String nodeId, Path application, int httpPort, Map<String, String> environment,
            Optional<Path> logDirectory, java.util.function.Function<java.io.File, ProcessBuilder.Redirect> logFile) {
        if (!Files.isRegularFile(application)) {
            throw new IllegalStateException(application + " is missing: build with ./mvnw package -DskipTests");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(JvmSettings.OPTIONS);
        command.add("-Dquarkus.http.port=" + httpPort);
        command.add("-jar");
        command.add(application.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put(PodSettings.env(PodSettings.NODE_ID), nodeId);
        try {
            if (logDirectory.isPresent()) {
                Files.createDirectories(logDirectory.get());
                builder.redirectOutput(logFile.apply(logDirectory.get().resolve(nodeId + ".log").toFile()));
            }
            Process process = ChildProcesses.adopt(builder.start());
            if (logDirectory.isEmpty()) {
                echo(nodeId, process, System.out);
            }
            return new NodeProcess(nodeId, httpPort, process, application, environment, logDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + nodeId, e);
        }
    }

    public String nodeId() {
        return nodeId;
    }

    public int httpPort() {
        return httpPort;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** How long ago this process was started. */
    public Duration age() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Waits until the node's readiness check passes. */
    public void awaitReady(Duration timeout) {
        URI ready = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(nodeId + " exited with code " + process.exitValue() + " while starting");
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            Pause.sleep(100);
        }
        throw new IllegalStateException(nodeId + " was not ready within " + timeout.toSeconds() + " s");
    }

    /** Asks the node to stop (SIGTERM), and kills it if it has not stopped within the grace period. */
    public void stop(Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the node at once (SIGKILL), as a crash would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Freezes the node (SIGSTOP), as a long GC pause or a throttled container would: it neither works nor dies. */
    public void pause() {
        Signals.send("STOP", process.pid());
    }

    /** Lets a paused node go on (SIGCONT) from where it stopped, unaware that time passed. */
    public void resume() {
        Signals.send("CONT", process.pid());
    }

    private static void echo(String nodeId, Process process, PrintStream out) {
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null;) {
                    out.println("[" + nodeId + "] " + line);
                }
            } catch (IOException closed) {
                // the process ended
            }
        }, "output-" + nodeId);
        pump.setDaemon(true);
        pump.start();
    }
}
