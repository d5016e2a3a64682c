package io.herald.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.redisson.api.RedissonClient;

/**
 * Appends entries to their shard streams in exactly the order they were handed over. Separate
 * appends may travel over different Redis connections and overtake each other; entries whose
 * order matters go through here instead: one batch is in flight at a time, and entries that
 * arrive meanwhile are coalesced into the next batch. Examples: a gateway's "lost interest"
 * must not overtake its later "gained interest" in the same channel, and a connection's client
 * events must reach the channel in the order it sent them.
 *
 * <p>A batch that fails is retried, first in line and with a growing back-off, until Redis takes
 * it: a withdrawal of interest or a presence leave that was dropped would leave a ghost for good.
 * Nobody waits on those, so they may wait as long as Redis is away. Client events may not: while
 * more than {@value #MAX_WAITING} entries wait, new ones are refused at once, so that an outage
 * does not pile them up in the heap.
 */
@ApplicationScoped
public class OrderedShardWriter {

    private static final Logger LOG = Logger.getLogger(OrderedShardWriter.class);
    private static final int MAX_BATCH = 1024;
    private static final int MAX_WAITING = 100_000;
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);

    @Inject
    ShardStreams shardStreams;

    @Inject
    RedissonClient redis;

    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean();
    /** The batch that failed, sent again before anything queued after it; only the writer touches it. */
    private List<Pending> retry = List.of();
    private Duration nextRetry = FIRST_RETRY;

    private record Pending(ShardEntry entry, CompletableFuture<Void> written) {
    }

    /** @return completes when the entry is in its shard stream, after every entry handed over before it */
    public CompletableFuture<Void> append(ShardEntry entry) {
        if (entry instanceof Publication && waiting.get() >= MAX_WAITING) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "Redis is not taking writes: " + waiting.get() + " entries are waiting"));
        }
        Pending pending = new Pending(entry, new CompletableFuture<>());
        waiting.incrementAndGet();
        queue.add(pending);
        writeNextBatch();
        return pending.written;
    }

    private void writeNextBatch() {
        if (!writing.compareAndSet(false, true)) {
            return;
        }
        List<Pending> batch = new ArrayList<>(retry);
        retry = List.of();
        for (Pending next; batch.size() < MAX_BATCH && (next = queue.poll()) != null;) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            writing.set(false);
            // An entry may have been queued after the poll but before the flag dropped.
            if (!queue.isEmpty()) {
                writeNextBatch();
            }
            return;
        }
        shardStreams.append(batch.stream().map(Pending::entry).toList()).whenComplete((ignored, failure) -> {
            if (failure == null) {
                nextRetry = FIRST_RETRY;
                waiting.addAndGet(-batch.size());
                batch.forEach(pending -> pending.written.complete(null));
                writing.set(false);
                writeNextBatch();
            } else if (redis.isShuttingDown() || redis.isShutdown()) {
                // The process is stopping: nobody is left to retry for.
                waiting.addAndGet(-batch.size());
                batch.forEach(pending -> pending.written.completeExceptionally(failure));
                writing.set(false);
            } else {
                LOG.warnf("Appending %d entries to the shard streams failed, retrying in %d ms: %s", batch.size(),
                        nextRetry.toMillis(), failure.getMessage());
                retry = batch;
                Duration delay = nextRetry;
                nextRetry = delay.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : delay.multipliedBy(2);
                CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                    writing.set(false);
                    writeNextBatch();
                });
            }
        });
    }
}
