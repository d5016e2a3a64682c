package io.herald.gateway.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.herald.local.FreePorts;
import io.herald.local.LocalRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Redis primary with one replica ({@code redis-server --replicaof}), both real processes, for
 * replicated durability: a {@code @QuarkusTest} resource pointing {@code herald.redis.url} at the
 * primary, and usable on its own by programs that measure. The replica's pid is given as
 * {@code test.redis.replica-pid}, so a test can stop and continue it.
 */
public class ReplicatedRedis implements QuarkusTestResourceLifecycleManager, AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private LocalRedis primary;
    private Process replica;
    private Path replicaDirectory;

    @Override
    public Map<String, String> start() {
        primary = LocalRedis.start();
        int primaryPort = URI.create(primary.url()).getPort();
        int replicaPort = FreePorts.find();
        try {
            // A replica writes the snapshot it syncs from to disk whatever --save says: keep it out of the worktree.
            replicaDirectory = Files.createTempDirectory("herald-replica");
            replica = new ProcessBuilder("redis-server", "--port", Integer.toString(replicaPort), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", replicaDirectory.toString(),
                    "--replicaof", "127.0.0.1", Integer.toString(primaryPort))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            primary.close();
            throw new UncheckedIOException("Could not start the replica (redis-server on the PATH)", e);
        }
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (!info(replicaPort).contains("master_link_status:up")) {
            if (Instant.now().isAfter(deadline)) {
                close();
                throw new IllegalStateException("The replica did not sync with the primary within " + TIMEOUT);
            }
            sleep();
        }
        return Map.of("herald.redis.url", primary.url(), "test.redis.replica-pid", Long.toString(replica.pid()));
    }

    public String primaryUrl() {
        return primary.url();
    }

    /** {@code INFO replication} of the Redis on the port, or empty while it does not answer. */
    private static String info(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("INFO replication\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder header = new StringBuilder();
            for (int c; (c = in.read()) != '\n' && c >= 0;) {
                header.append((char) c);
            }
            int length = Integer.parseInt(header.toString().trim().substring(1));
            return new String(in.readNBytes(length), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException notYet) {
            return "";
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public void close() {
        if (replica != null) {
            // SIGKILL, since a test may leave it stopped (SIGSTOP), which holds a SIGTERM back.
            replica.destroyForcibly();
            try {
                replica.waitFor();
                try (Stream<Path> files = Files.walk(replicaDirectory)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (primary != null) {
            primary.close();
        }
    }
}
