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
    /** The nodes of a Redis Cluster this started, each with its data directory; empty for one Redis. */
    private final List<LocalRedis> clusterNodes;

    private LocalRedis(String url, String description, Path redisServer, Path dataDirectory, Process process, RedisServer embedded) {
        this(url, description, redisServer, dataDirectory, process, embedded, List.of());
    }

    private LocalRedis(String url, String description, Path redisServer, Path dataDirectory, Process process, RedisServer embedded,
            List<LocalRedis> clusterNodes) {
        this.url = url;
        this.description = description;
        this.redisServer = redisServer;
        this.dataDirectory = dataDirectory;
        this.process = process;
        this.embedded = embedded;
        this.clusterNodes = clusterNodes;
    }

    public static LocalRedis external(String url) {
        return new LocalRedis(url, "Redis at " + url + " (not started by Herald)", null, null, null, null);
    }

    /**
     * Starts a throw-away Redis Cluster of that many primaries (no replicas) on free loopback
     * ports: one {@code redis-server --cluster-enabled yes} per node, joined and given the slots
     * in equal contiguous ranges by {@code redis-cli --cluster create}. Returns once every node
     * reports the cluster {@code ok}. Its URL names every node, comma-separated, as seeds.
     */
    public static LocalRedis startCluster(int primaries) {
        Path redisServer = findOnPath("redis-server")
                .orElseThrow(() -> new IllegalStateException("a Redis Cluster needs redis-server and redis-cli on the PATH"));
        List<LocalRedis> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < primaries; i++) {
                int port = FreePorts.find();
                Path data = Files.createTempDirectory("herald-redis-cluster-");
                Process process = launch(redisServer, port, data, Persistence.NONE, List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", data.resolve("nodes.conf").toString(), "--cluster-node-timeout", "5000"));
                nodes.add(new LocalRedis(url(port), "cluster node on port " + port, redisServer, data, process, null));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            nodes.forEach(node -> create.add("127.0.0.1:" + URI.create(node.url).getPort()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            nodes.get(0).command(create.toArray(String[]::new));
            Instant deadline = Instant.now().plusSeconds(30);
            while (!nodes.stream().allMatch(node -> node.command("CLUSTER", "INFO").contains("cluster_state:ok"))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the Redis Cluster did not report cluster_state:ok within 30 s");
                }
                Pause.sleep(100);
            }
        } catch (IOException e) {
            nodes.forEach(LocalRedis::close);
            throw new UncheckedIOException("Could not start a Redis Cluster", e);
        } catch (RuntimeException e) {
            nodes.forEach(LocalRedis::close);
            throw e;
        }
        String seeds = String.join(",", nodes.stream().map(LocalRedis::url).toList());
        return new LocalRedis(seeds, "Redis Cluster of " + primaries + " primaries on ports "
                + nodes.stream().map(node -> Integer.toString(URI.create(node.url).getPort())).toList(), null, null, null, null,
                List.copyOf(nodes));
    }

    /** Whether this is a Redis Cluster, whose URL names its seed nodes. */
    public boolean isCluster() {
        return !clusterNodes.isEmpty();
    }

    /** Starts a throw-away Redis on a free loopback port, without persistence. */
    public static LocalRedis start() {
        return findOnPath("redis-server").map(LocalRedis::startServer).orElseGet(LocalRedis::startEmbedded);
    }

    static LocalRedis startServer(Path redisServer) {
        int port = FreePorts.find();
        try {
            Path data = Files.createTempDirectory("herald-redis-");
            Process process = launch(redisServer, port, data, Persistence.NONE, List.of());
            return new LocalRedis(url(port), redisServer + " on port " + port, redisServer, data, process, null);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + redisServer, e);
        }
    }

    private static Process launch(Path redisServer, int port, Path data, Persistence persistence, List<String> settings)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(redisServer.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", data.toString(), "--daemonize", "no", "--save", ""));
        command.addAll(persistence == Persistence.APPEND_ONLY ? List.of("--appendonly", "yes", "--appendfsync", "always")
                : List.of("--appendonly", "no"));
        command.addAll(settings);
        Process process = ChildProcesses.adopt(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start());
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
            process = launch(redisServer, port, dataDirectory, persistence, List.of());
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
        return command(redisServer.resolveSibling("redis-cli"), URI.create(url).getPort(), arguments);
    }

    /** Runs one command with the {@code redis-cli} on the PATH against the Redis on that loopback port. */
    public static String command(int port, String... arguments) {
        return command(findOnPath("redis-cli").orElseThrow(() -> new IllegalStateException("redis-cli is not on the PATH")),
                port, arguments);
    }

    private static String command(Path redisCli, int port, String... arguments) {
        List<String> command = new ArrayList<>(List.of(redisCli.toString(), "-p", Integer.toString(port)));
        command.addAll(List.of(arguments));
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(cli.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!cli.waitFor(30, TimeUnit.SECONDS) || cli.exitValue() != 0 || output.startsWith("ERR")) {
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
        clusterNodes.forEach(LocalRedis::close);
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
