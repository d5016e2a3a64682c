package io.herald.gateway.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.redisson.RedissonShutdownException;
import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadArgs;
import org.redisson.api.stream.StreamTrimArgs;
import org.redisson.client.codec.StringCodec;

import io.herald.gateway.GatewayConfig;
import io.herald.gateway.GatewayMetrics;
import static io.herald.gateway.fanout.DataLossRecovery.MESSAGES_LOST;

import io.herald.gateway.history.MissedEvents;
import io.herald.gateway.protocol.SocketWrites;
import io.herald.streams.ClusterSettings;
import io.herald.streams.CacheAnswer;
import io.herald.streams.Delivery;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.InboxEntry;
import io.herald.streams.PresenceAnswer;
import io.herald.streams.RecoveryAnswer;
import io.herald.streams.MalformedEnvelopeException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Reads this gateway's inbox streams, one per slot group, where routers put the publications of
 * channels that have subscribers here, and hands each one to {@link LocalSubscriptions}. Per
 * inbox, one blocking read is in flight at a time, so deliveries are handled in inbox order (a
 * channel's all come through its shard's group's inbox), and the next read waits until the event
 * loops wrote the previous batch's frames (see {@link SocketWrites}). On one Redis there is one
 * inbox; on a Redis Cluster each group's inbox is read on its own, as a read may not span slots.
 */
@ApplicationScoped
public class InboxReader {

    private static final Logger LOG = Logger.getLogger(InboxReader.class);

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    LocalSubscriptions subscriptions;

    @Inject
    MissedEvents missedEvents;

    @Inject
    Vertx vertx;

    @Inject
    GatewayMetrics metrics;

    @Inject
    GatewayConfig config;

    private InboxLag lag;

    private final List<GroupInbox> inboxes = new ArrayList<>();
    private volatile boolean running;
    private static final int TRIM_EVERY = 1000;
    private static final Duration OVERFLOW_CHECK_INTERVAL = Duration.ofSeconds(1);
    /** What receivers are told, with {@link DataLossRecovery#MESSAGES_LOST}, when their gateway's inbox overflowed. */
    static final String OVERFLOW_DATA = "{\"reason\":\"gateway-inbox-overflow\"}";
    /**
     * Entries ever added to the inbox ({@code XINFO STREAM}, Redis 7) and entries after the last
     * one read, after dropping those before it (all read): the difference from what this gateway
     * read is what was trimmed unread.
     */
    private static final String UNREAD_COUNTS = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return {0, 0} end
            redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1])
            local info = redis.call('XINFO', 'STREAM', KEYS[1])
            for i = 1, #info, 2 do
              if info[i] == 'entries-added' then
                local read = #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
                return {info[i + 1], redis.call('XLEN', KEYS[1]) - read}
              end
            end
            return redis.error_reply('XINFO STREAM has no entries-added: Redis 7 or later is needed')
            """;
    void start(@Observes StartupEvent event) {
        int groups = cluster.layout().slotGroups();
        lag = new InboxLag(config.gateway().overloadLag().toMillis(), groups);
        metrics.inboxLag(lag);
        for (int group = 0; group < groups; group++) {
            GroupInbox inbox = new GroupInbox(group, redis.getStream(cluster.layout().inbox(cluster.nodeId(), group),
                    StringCodec.INSTANCE));
            // A previous process with the same id may have left deliveries meant for its sockets.
            inbox.stream.delete();
            inboxes.add(inbox);
        }
        running = true;
        inboxes.forEach(GroupInbox::readNext);
        LOG.infof("Gateway %s reads its inbox%s %s", cluster.nodeId(), groups == 1 ? "" : "es",
                inboxes.stream().map(inbox -> inbox.stream.getName()).toList());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
    }

    public boolean isHealthy() {
        return running && inboxes.stream().allMatch(inbox -> inbox.healthy);
    }

    /**
     * How long ago Redis last answered a read of the longest silent inbox, well or badly. Reads
     * block for 2 s at most and a failed one is retried after 1 s, so a long silence means a
     * reader is wedged.
     */
    public Duration sinceLastAnswer() {
        long oldest = System.nanoTime();
        for (GroupInbox inbox : inboxes) {
            oldest = Math.min(oldest, inbox.lastAnsweredAt);
        }
        return Duration.ofNanos(System.nanoTime() - oldest);
    }

    /** Whether this gateway has fallen behind its inboxes (see {@link InboxLag}). */
    public InboxLag lag() {
        return lag;
    }

    /** One slot group's inbox and where this gateway is in it. */
    private final class GroupInbox {

        private final int group;
        private final RStream<String, String> stream;
        private volatile boolean healthy = true;
        private volatile long lastAnsweredAt = System.nanoTime();
        private StreamMessageId lastRead = new StreamMessageId(0, 0);
        private int handledSinceTrim;
        /** Entries read from the inbox since this gateway emptied it at start, and ones counted as lost since. */
        private long entriesRead;
        /** A read found a full batch since the last check: deliveries may have waited long enough to be trimmed. */
        private boolean overflowSuspected;
        private long overflowCheckedAt = System.nanoTime();

        GroupInbox(int group, RStream<String, String> stream) {
            this.group = group;
            this.stream = stream;
        }

        private void readNext() {
            if (!running || redis.isShutdown() || redis.isShuttingDown()) {
                return;
            }
            try {
                read();
            } catch (RedissonShutdownException stopping) {
                // the process is stopping: nothing more to read
            }
        }

        /**
         * Reads the next batch, after checking for deliveries trimmed unread once a read found a
         * backlog (a full batch), at most once a second. The routers cap the inbox's length: a gateway that falls that far
         * behind loses the oldest deliveries, and its receivers must learn it, since it cannot say
         * which channels they were for. Redis counts every entry ever added to a stream; what was
         * added but neither read by this gateway nor still waiting in the inbox was trimmed unread.
         */
        private void read() {
            if (!overflowSuspected || System.nanoTime() - overflowCheckedAt < OVERFLOW_CHECK_INTERVAL.toNanos()) {
                readBatch();
                return;
            }
            overflowSuspected = false;
            overflowCheckedAt = System.nanoTime();
            redis.getScript(StringCodec.INSTANCE).<List<Long>>evalAsync(stream.getName(), RScript.Mode.READ_WRITE, UNREAD_COUNTS,
                    RScript.ReturnType.LIST, List.of(stream.getName()), lastRead.toString()).whenComplete((counts, failure) -> {
                        try {
                            if (failure != null) {
                                metrics.redisError("inbox_overflow_check");
                                LOG.warnf("Checking inbox %s for deliveries trimmed unread failed: %s", stream.getName(),
                                        failure.getMessage());
                                return;
                            }
                            long lost = counts.get(0) - entriesRead - counts.get(1);
                            // Negative when the inbox was deleted and began again (this gateway lost its Lease meanwhile).
                            entriesRead += lost;
                            if (lost > 0) {
                                metrics.inboxOverflowed();
                                LOG.errorf("Inbox %s was trimmed past what this gateway read: %d deliveries lost; telling every "
                                        + "receiver with %s", stream.getName(), lost, MESSAGES_LOST);
                                subscriptions.tellEveryReceiver(MESSAGES_LOST, OVERFLOW_DATA);
                            }
                        } finally {
                            readBatch();
                        }
                    });
        }

        private void readBatch() {
            stream.readAsync(StreamReadArgs.greaterThan(lastRead).count(config.inbox().batchSize()).timeout(Duration.ofSeconds(2)))
                    .whenComplete((entries, failure) -> {
                        lastAnsweredAt = System.nanoTime();
                        if (failure != null) {
                            healthy = false;
                            metrics.redisError("inbox_read");
                            if (running && !redis.isShuttingDown()) {
                                LOG.warnf("Reading inbox %s failed, retrying in 1 s: %s", stream.getName(), failure.getMessage());
                                vertx.setTimer(1000, id -> readNext());
                            }
                            return;
                        }
                        healthy = true;
                        overflowSuspected |= entries != null && entries.size() >= config.inbox().batchSize();
                        entriesRead += entries == null ? 0 : entries.size();
                        if (entries == null || entries.isEmpty()) {
                            lagged(0);
                            readNext();
                            return;
                        }
                        List<Decoded> decoded = new ArrayList<>(entries.size());
                        entries.forEach((id, fields) -> decoded.add(decode(id, fields)));
                        // An inbox entry's id holds the time Redis took it in; the batch comes in id order.
                        lagged(decoded.get(0).id().getId0());
                        withMissedEvents(decoded).whenComplete((complete, bug) -> {
                            Runnable next = () -> {
                                lastRead = decoded.get(decoded.size() - 1).id();
                                trimHandled(entries.size());
                                readNext();
                            };
                            if (bug != null) {
                                LOG.errorf(bug, "Completing %d inbox entries failed; going on after them", entries.size());
                                next.run();
                                return;
                            }
                            // One task per event loop for the batch's frames; the next read once they are written.
                            SocketWrites.batched(() -> complete.forEach(entry -> {
                                lastRead = entry.id();
                                handleOrLog(entry);
                            }), next);
                        });
                    });
        }

        /**
         * Drops handled deliveries now and then: without it the inbox would only shrink at the
         * router's length cap. Every {@value #TRIM_EVERY} deliveries, so it costs one call per many.
         */
        private void trimHandled(int handled) {
            handledSinceTrim += handled;
            if (handledSinceTrim >= TRIM_EVERY) {
                handledSinceTrim = 0;
                stream.trimNonStrictAsync(StreamTrimArgs.minId(lastRead).noLimit());
            }
        }

        private void lagged(long oldestMillis) {
            lag.read(group, oldestMillis, System.currentTimeMillis());
        }
    }

    /** An inbox entry as read: its id, and what it holds, or null when it is malformed. */
    private record Decoded(StreamMessageId id, InboxEntry entry) {
    }

    private static Decoded decode(StreamMessageId id, Map<String, String> fields) {
        try {
            return new Decoded(id, EnvelopeCodec.decodeInboxEntry(fields));
        } catch (MalformedEnvelopeException e) {
            LOG.errorf("Skipping malformed inbox entry %s: %s", id, e.getMessage());
            return new Decoded(id, null);
        }
    }

    /**
     * The entries with the recovery answers among them completed by their missed events (one read
     * for all of them), so every entry is still handled in inbox order. When Redis fails that read,
     * those recoveries fail and their clients are told; the inbox goes on.
     */
    private CompletionStage<List<Decoded>> withMissedEvents(List<Decoded> decoded) {
        List<RecoveryAnswer> needing = decoded.stream().map(Decoded::entry).filter(RecoveryAnswer.class::isInstance)
                .map(RecoveryAnswer.class::cast).filter(MissedEvents::needsEvents).toList();
        if (needing.isEmpty()) {
            return CompletableFuture.completedFuture(decoded);
        }
        return missedEvents.read(needing).handle((completed, failure) -> {
            if (failure != null) {
                metrics.redisError("missed_events_read");
                LOG.warnf("Reading the missed events of %d recoveries failed; telling their clients: %s", needing.size(),
                        failure.getMessage());
            }
            Map<RecoveryAnswer, RecoveryAnswer> byAnswer = new IdentityHashMap<>();
            for (int i = 0; i < needing.size(); i++) {
                byAnswer.put(needing.get(i), failure == null ? completed.get(i) : needing.get(i).completed(false, List.of()));
            }
            return decoded.stream().map(entry -> byAnswer.containsKey(entry.entry())
                    ? new Decoded(entry.id(), byAnswer.get(entry.entry())) : entry).toList();
        });
    }

    /** A bug in handling one entry costs that entry only, loudly. */
    private void handleOrLog(Decoded decoded) {
        try {
            handle(decoded);
        } catch (RuntimeException e) {
            metrics.inboxEntryFailed();
            LOG.errorf(e, "Handling inbox entry %s failed; going on after it", decoded.id());
        }
    }

    private void handle(Decoded decoded) {
        InboxEntry entry = decoded.entry();
        if (entry == null) {
            return;
        }
        if (entry instanceof Delivery delivery) {
            subscriptions.deliver(delivery);
        } else if (entry instanceof PresenceAnswer answer) {
            subscriptions.answer(answer);
        } else if (entry instanceof CacheAnswer answer) {
            subscriptions.answer(answer);
        } else if (entry instanceof RecoveryAnswer answer) {
            subscriptions.answer(answer);
        } else {
            throw new IllegalStateException("No handler for inbox entry " + entry.getClass().getSimpleName());
        }
    }
}
