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

/** A gateway, router or operator running as its own JVM, as it would in its own pod. */
public final class NodeProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String nodeId;
    private final int httpPort;
    private final Process process;

    private NodeProcess(String nodeId, int httpPort, Process process) {
        this.nodeId = nodeId;
        this.httpPort = httpPort;
        this.process = process;
    }

    /**
     * Starts {@code java -jar <application>} with the given environment; its output goes to
     * {@code <logDirectory>/<nodeId>.log}, or is echoed with a {@code [nodeId]} prefix.
     */
    public static NodeProcess start(String nodeId, Path application, int httpPort, Map<String, String> environment,
            Optional<Path> logDirectory) {
        if (!Files.isRegularFile(application)) {
            throw new IllegalStateException(application + " is missing: build with ./mvnw package -DskipTests");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Dquarkus.http.port=" + httpPort);
        command.add("-jar");
        command.add(application.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("HERALD_NODE_ID", nodeId);
        try {
            if (logDirectory.isPresent()) {
                Files.createDirectories(logDirectory.get());
                builder.redirectOutput(logDirectory.get().resolve(nodeId + ".log").toFile());
            }
            Process process = builder.start();
            if (logDirectory.isEmpty()) {
                echo(nodeId, process, System.out);
            }
            return new NodeProcess(nodeId, httpPort, process);
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
