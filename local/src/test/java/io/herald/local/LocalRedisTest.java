package io.herald.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LocalRedisTest {

    private static String ping(String url) throws Exception {
        URI uri = URI.create(url);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void theEmbeddedRedisServesAMachineWithoutRedis() throws Exception {
        try (LocalRedis redis = LocalRedis.startEmbedded()) {
            assertEquals("+PONG", ping(redis.url()));
        }
    }

    @Test
    void aRedisServerOnThePathIsPreferred() throws Exception {
        Optional<Path> onPath = LocalRedis.findOnPath("redis-server");
        assumeTrue(onPath.isPresent(), "no redis-server on the PATH");
        try (LocalRedis redis = LocalRedis.start()) {
            assertEquals("+PONG", ping(redis.url()));
            assertEquals(true, redis.description().startsWith(onPath.get().toString()));
        }
    }

    @Test
    void aRedisRestartedWithItsAppendOnlyFileKeepsItsDataAndOneRestartedWithoutComesBackEmpty() {
        assumeTrue(LocalRedis.findOnPath("redis-server").isPresent(), "no redis-server on the PATH");
        try (LocalRedis redis = LocalRedis.start()) {
            redis.command("SET", "acknowledged", "yes");
            long before = redis.pid().orElseThrow();
            redis.crashAndRestart(LocalRedis.Persistence.APPEND_ONLY);
            assertEquals(true, redis.pid().orElseThrow() != before, "a new redis-server process");
            assertEquals("yes", redis.command("GET", "acknowledged").trim());

            redis.crashAndRestart(LocalRedis.Persistence.NONE);
            assertEquals("", redis.command("GET", "acknowledged").trim());
        }
    }

    @Test
    void aStartedRedisClusterHasEverySlotServedByItsPrimariesAndStopsWhole() {
        assumeTrue(LocalRedis.findOnPath("redis-server").isPresent(), "no redis-server on the PATH");
        List<Integer> ports;
        try (LocalRedis cluster = LocalRedis.startCluster(3)) {
            assertTrue(cluster.isCluster());
            ports = Arrays.stream(cluster.url().split(",")).map(seed -> URI.create(seed).getPort()).toList();
            assertEquals(3, ports.size());
            String info = LocalRedis.command(ports.get(0), "CLUSTER", "INFO");
            assertTrue(info.contains("cluster_state:ok") && info.contains("cluster_slots_assigned:16384")
                    && info.contains("cluster_size:3"), info);
            assertEquals("12182", LocalRedis.command(ports.get(1), "CLUSTER", "KEYSLOT", "foo").trim(),
                    "the slot SlotGroupsTest expects");
        }
        for (int port : ports) {
            assertTrue(FreePorts.isFree(port), "node on port " + port + " stopped");
        }
    }

    @Test
    void aPausedRedisHoldsCommandsUntilThePauseEnds() {
        assumeTrue(LocalRedis.findOnPath("redis-server").isPresent(), "no redis-server on the PATH");
        try (LocalRedis redis = LocalRedis.start()) {
            redis.pause(Duration.ofMillis(1500));
            long started = System.nanoTime();
            redis.command("SET", "held", "1");
            assertEquals(true, System.nanoTime() - started >= Duration.ofMillis(1000).toNanos(), "the write waited for the pause");
        }
    }
}
