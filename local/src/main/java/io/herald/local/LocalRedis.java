package io.herald.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import redis.embedded.RedisServer;

/**
 * The Redis of a local cluster: the one named by a URL when given, else a {@code redis-server}
 * found on the PATH, else the Redis build that ships inside the embedded-redis jar. Whatever it
 * starts it also stops; a Redis it was pointed at is left alone.
 *
 * <p>A {@code redis-server} it started can also be made to fail, for fault injection: crashed and
 * restarted on the same port with or without its data, or paused.
 */
public final class LocalRedis implements AutoCloseable {

    /** What a restarted Redis comes back with. */
    public enum Persistence {
        /** Every write was appended and fsynced before Redis answered it: the data comes back whole. */
        APPEND_ONLY,
        /** No snapshot, no append-only file: Redis comes back empty, as after a failover to an empty replica. */
        NONE
    }

    private final String url;
    private final String description;
    private final Path redisServer;
    private final Path dataDirectory;
    private volatile Process process;
    private final RedisServer embedded;

    private LocalRedis(String url, String description, Path redisServer, Path dataDirectory, Process process, RedisServer embedded) {
        this.url = url;
        this.description = description;
        this.redisServer = redisServer;
        this.dataDirectory = dataDirectory;
        this.process = process;
        this.embedded = embedded;
    }

    public static LocalRedis external(String url) {
        return new LocalRedis(url, "Redis at " + url + " (not started by Herald)", null, null, null, null);
    }

    /** Starts a throw-away Redis on a free loopback port, without persistence. */
    public static LocalRedis start() {
        return findOnPath("redis-server").map(LocalRedis::startServer).orElseGet(LocalRedis::startEmbedded);
    }

    static LocalRedis startServer(Path redisServer) {
        int port = FreePorts.find();
        try {
            Path data = Files.createTempDirectory("herald-redis-");
            Process process = launch(redisServer, port, data, Persistence.NONE);
            return new LocalRedis(url(port), redisServer + " on port " + port, redisServer, data, process, null);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + redisServer, e);
        }
    }

    private static Process launch(Path redisServer, int port, Path data, Persistence persistence) throws IOException {
        List<String> command = new ArrayList<>(List.of(redisServer.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", data.toString(), "--daemonize", "no", "--save", ""));
        command.addAll(persistence == Persistence.APPEND_ONLY ? List.of("--appendonly", "yes", "--appendfsync", "always")
                : List.of("--appendonly", "no"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        awaitPort(port, process);
        return process;
    }

    /**
     * Crashes Redis ({@code kill -9}) and starts it again on the same port. With
     * {@link Persistence#APPEND_ONLY} it first turns on the append-only file with an fsync per
     * write (and waits until the file holds the whole data set), so it comes back with every write
     * it answered; with {@link Persistence#NONE} it comes back empty.
     */
    public void crashAndRestart(Persistence persistence) {
        Process running = requireServer();
        int port = URI.create(url).getPort();
        if (persistence == Persistence.APPEND_ONLY) {
            command("CONFIG", "SET", "appendfsync", "always");
            command("CONFIG", "SET", "appendonly", "yes");
            Instant deadline = Instant.now().plusSeconds(30);
            while (!command("INFO", "persistence").matches("(?s).*aof_enabled:1.*aof_rewrite_in_progress:0.*aof_rewrite_scheduled:0.*")) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Redis did not write its append-only file within 30 s");
                }
                Pause.sleep(50);
            }
        }
        running.destroyForcibly();
        try {
            running.waitFor(10, TimeUnit.SECONDS);
            if (persistence == Persistence.NONE) {
                clearDataDirectory();
            }
            process = launch(redisServer, port, dataDirectory, persistence);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not restart " + redisServer, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Makes Redis hold every client's commands for a while ({@code CLIENT PAUSE ... ALL}), as a stalled primary would. */
    public void pause(Duration duration) {
        requireServer();
        command("CLIENT", "PAUSE", Long.toString(duration.toMillis()), "ALL");
    }

    /** The process id of the {@code redis-server} this started, if it started one. */
    public Optional<Long> pid() {
        return Optional.ofNullable(process).map(Process::pid);
    }

    /** Runs one command with {@code redis-cli}, which comes with {@code redis-server}, and answers its output. */
    public String command(String... arguments) {
        requireServer();
        List<String> command = new ArrayList<>(List.of(redisServer.resolveSibling("redis-cli").toString(),
                "-p", Integer.toString(URI.create(url).getPort())));
        command.addAll(List.of(arguments));
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(cli.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!cli.waitFor(10, TimeUnit.SECONDS) || cli.exitValue() != 0 || output.startsWith("ERR")) {
                throw new IllegalStateException("redis-cli " + String.join(" ", arguments) + " failed: " + output.trim());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run redis-cli", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Process requireServer() {
        if (process == null) {
            throw new IllegalStateException("fault injection needs a redis-server started by Herald (on the PATH), not " + description);
        }
        return process;
    }

    private void clearDataDirectory() throws IOException {
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!file.equals(dataDirectory)) {
                    Files.delete(file);
                }
            }
        }
    }

    /** The Redis build shipped in the embedded-redis jar, for machines without a redis-server. */
    static LocalRedis startEmbedded() {
        int port = FreePorts.find();
        try {
            RedisServer embedded = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").build();
            embedded.start();
            awaitPort(port, null);
            return new LocalRedis(url(port), "embedded Redis on port " + port, null, null, null, embedded);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded Redis", e);
        }
    }

    private static String url(int port) {
        return "redis://127.0.0.1:" + port;
    }

    public String url() {
        return url;
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        Process running = process;
        if (running != null) {
            running.destroy();
            try {
                if (!running.waitFor(5, TimeUnit.SECONDS)) {
                    running.destroyForcibly();
                }
                clearDataDirectory();
                Files.deleteIfExists(dataDirectory);
            } catch (InterruptedException e) {
                running.destroyForcibly();
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not remove " + dataDirectory, e);
            }
        }
        if (embedded != null) {
            try {
                embedded.stop();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not stop the embedded Redis", e);
            }
        }
    }

    static Optional<Path> findOnPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, executable);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static void awaitPort(int port, Process process) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("redis-server exited with code " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Pause.sleep(50);
            }
        }
        throw new IllegalStateException("Redis did not listen on port " + port + " within 10 s");
    }
}
