package io.herald.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import redis.embedded.RedisServer;

/**
 * The Redis of a local cluster: the one named by a URL when given, else a {@code redis-server}
 * found on the PATH, else the Redis build that ships inside the embedded-redis jar. Whatever it
 * starts it also stops; a Redis it was pointed at is left alone.
 */
public final class LocalRedis implements AutoCloseable {

    private final String url;
    private final String description;
    private final Process process;
    private final RedisServer embedded;

    private LocalRedis(String url, String description, Process process, RedisServer embedded) {
        this.url = url;
        this.description = description;
        this.process = process;
        this.embedded = embedded;
    }

    public static LocalRedis external(String url) {
        return new LocalRedis(url, "Redis at " + url + " (not started by Herald)", null, null);
    }

    /** Starts a throw-away Redis on a free loopback port, without persistence. */
    public static LocalRedis start() {
        return findOnPath("redis-server").map(LocalRedis::startServer).orElseGet(LocalRedis::startEmbedded);
    }

    static LocalRedis startServer(Path redisServer) {
        int port = FreePorts.find();
        try {
            Process process = new ProcessBuilder(redisServer.toString(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            awaitPort(port, process);
            return new LocalRedis(url(port), redisServer + " on port " + port, process, null);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + redisServer, e);
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
            return new LocalRedis(url(port), "embedded Redis on port " + port, null, embedded);
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
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
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
