package io.herald.benchmark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.herald.local.LocalRedis;

/**
 * {@code history-memory}: what channel history costs in Redis. Publishes E events to each of C
 * channels (up to 100 channels per REST request, as the Pusher API allows), waits until every
 * channel's position record shows all E, and reads the Redis memory three ways: {@code MEMORY
 * USAGE} of one channel's {@code position} and {@code history} keys, the growth of
 * {@code used_memory} over the whole run, and what deleting all the channels' history keys, then
 * their position keys, gives back. The last is the cost of history alone, without the shard
 * streams the publications passed through. Run it with the settings to be measured (the default
 * history, or {@code --node-env}).
 */
final class HistoryMemoryScenario implements Scenario {

    private static final String CHANNEL_PREFIX = "mem-";
    private static final int CHANNELS_PER_REQUEST = 100;
    /**
     * How long the routers may take to catch up after the last publication was accepted. A
     * channel's history expires its TTL after the channel's last event was routed, not published,
     * and every channel's last event is among the last routed, so waiting long loses nothing; a
     * busy machine needed more than 90 s for 100,000 publications.
     */
    private static final long SETTLE_MILLIS = 300_000;

    private final int channels;
    private final int events;
    private final int payloadBytes;
    private final int maxInFlight;

    HistoryMemoryScenario(Arguments arguments) {
        channels = arguments.integer("channels", 1_000);
        events = arguments.integer("events", 100);
        payloadBytes = arguments.integer("payload-bytes", 100);
        // Few at a time: each request is 100 publications, and a burst of them makes routing batches (one Lua
        // script per shard) that a busy machine's Redis answers slower than the router's 3 s timeout.
        maxInFlight = arguments.integer("max-in-flight", 2);
        if (channels < 1 || events < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("need --channels, --events and --max-in-flight >= 1");
        }
    }

    @Override
    public Table parameters() {
        return new Table("parameter", "value")
                .row("channels", Table.count(channels))
                .row("events per channel", Table.count(events))
                .row("event data size", payloadBytes + " B")
                .row("channels per publish request", Integer.toString(Math.min(channels, CHANNELS_PER_REQUEST)))
                .row("publish requests in flight at most", Integer.toString(maxInFlight));
    }

    @Override
    public void run(BenchmarkCluster cluster, LoadClient client, PrintStream out) throws Exception {
        LocalRedis redis = cluster.redis();
        String app = BenchmarkCluster.APP.id();
        long before = usedMemory(redis);
        List<List<String>> groups = new ArrayList<>();
        for (int from = 0; from < channels; from += CHANNELS_PER_REQUEST) {
            List<String> group = new ArrayList<>();
            for (int c = from; c < Math.min(channels, from + CHANNELS_PER_REQUEST); c++) {
                group.add(CHANNEL_PREFIX + c);
            }
            groups.add(group);
        }
        SignedPublisher publisher = new SignedPublisher(client.vertx(), cluster.gateway(0).httpPort(), BenchmarkCluster.APP, maxInFlight);
        System.err.printf("Publishing %,d events to each of %,d channels%n", events, channels);
        long started = System.nanoTime();
        // Request i goes to group i % groups, so each channel's events are published one after another.
        PublishBurst.publish(client.publisherLoop(), events * groups.size(), i -> publisher.publish(PusherFrames.EVENT_NAME,
                groups.get(i % groups.size()), PusherFrames.paddedData("\"seq\":" + i / groups.size(), payloadBytes)), maxInFlight)
                .get(5, TimeUnit.MINUTES);
        String positions = "*:position:" + app + ":" + CHANNEL_PREFIX + "*";
        String histories = "*:history:" + app + ":" + CHANNEL_PREFIX + "*";
        // Polled once a second: every poll is a redis-cli process and a scan of the keys, not free on a busy machine.
        long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
        boolean routed;
        while (!(routed = complete(redis, positions) >= channels) && System.nanoTime() - deadline < 0) {
            Waits.sleep(1000);
        }
        long routedNanos = System.nanoTime() - started;
        if (!routed) {
            throw new IllegalStateException("after " + SETTLE_MILLIS / 1000 + " s only " + complete(redis, positions) + " of "
                    + channels + " channels had all " + events + " events routed");
        }
        long after = usedMemory(redis);
        String positionKey = oneKey(redis, "*:position:" + app + ":" + CHANNEL_PREFIX + "0");
        String historyKey = oneKey(redis, "*:history:" + app + ":" + CHANNEL_PREFIX + "0");
        long positionBytes = memoryUsage(redis, positionKey);
        long historyBytes = historyKey == null ? 0 : memoryUsage(redis, historyKey);
        long historyLength = historyKey == null ? 0 : Long.parseLong(redis.command("XLEN", historyKey).trim());
        long historyKeys = delete(redis, histories);
        long withoutHistory = usedMemory(redis);
        long positionKeys = delete(redis, positions);
        long withoutPositions = usedMemory(redis);

        out.println("### history-memory results\n");
        out.print(new Table("metric", "value")
                .row("publications routed", Table.count((double) channels * events) + " in " + Table.decimal(routedNanos / 1e9, 1) + " s")
                .row("history entries of channel " + CHANNEL_PREFIX + "0 (XLEN)", Table.count(historyLength))
                .row("MEMORY USAGE of its position key", Table.count(positionBytes) + " B")
                .row("MEMORY USAGE of its history key", Table.count(historyBytes) + " B")
                .row("used_memory growth over the run, per channel", Table.count((after - before) / (double) channels) + " B")
                .row("freed by deleting the " + Table.count(historyKeys) + " history keys, per channel",
                        Table.count((after - withoutHistory) / (double) channels) + " B")
                .row("freed by deleting the " + Table.count(positionKeys) + " position keys, per channel",
                        Table.count((withoutHistory - withoutPositions) / (double) channels) + " B")
                .row("used_memory before / after / without history / without positions", Table.bytes(before) + " / "
                        + Table.bytes(after) + " / " + Table.bytes(withoutHistory) + " / " + Table.bytes(withoutPositions)));
        out.println();
        publisher.close();
    }

    private static long usedMemory(LocalRedis redis) {
        for (String line : redis.command("INFO", "memory").split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new IllegalStateException("INFO memory has no used_memory");
    }

    /** How many channels' position records show the last event: the routers have routed everything. */
    private long complete(LocalRedis redis, String pattern) {
        return Long.parseLong(redis.command("EVAL", """
                local n = 0
                for _, key in ipairs(redis.call('KEYS', ARGV[1])) do
                  if tonumber(redis.call('HGET', key, 'offset')) == tonumber(ARGV[2]) then n = n + 1 end
                end
                return n""", "0", pattern, Integer.toString(events)).trim());
    }

    private static long delete(LocalRedis redis, String pattern) {
        return Long.parseLong(redis.command("EVAL", """
                local keys = redis.call('KEYS', ARGV[1])
                for _, key in ipairs(keys) do redis.call('DEL', key) end
                return #keys""", "0", pattern).trim());
    }

    private static String oneKey(LocalRedis redis, String pattern) {
        String keys = redis.command("KEYS", pattern).trim();
        return keys.isEmpty() ? null : keys.split("\r?\n")[0];
    }

    private static long memoryUsage(LocalRedis redis, String key) {
        return Long.parseLong(redis.command("MEMORY", "USAGE", key, "SAMPLES", "0").trim());
    }
}
