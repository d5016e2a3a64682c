package io.herald.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Appends entries to their shard streams in exactly the order they were handed over. Separate
 * appends may travel over different Redis connections and overtake each other; entries whose
 * order matters go through here instead: one batch is in flight at a time, and entries that
 * arrive meanwhile are coalesced into the next batch. Examples: a gateway's "lost interest"
 * must not overtake its later "gained interest" in the same channel, and a connection's client
 * events must reach the channel in the order it sent them.
 */
@ApplicationScoped
public class OrderedShardWriter {

    private static final int MAX_BATCH = 1024;

    @Inject
    ShardStreams shardStreams;

    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    private record Pending(ShardEntry entry, CompletableFuture<Void> written) {
    }

    /** @return completes when the entry is in its shard stream, after every entry handed over before it */
    public CompletableFuture<Void> append(ShardEntry entry) {
        Pending pending = new Pending(entry, new CompletableFuture<>());
        queue.add(pending);
        writeNextBatch();
        return pending.written;
    }

    private void writeNextBatch() {
        if (!writing.compareAndSet(false, true)) {
            return;
        }
        List<Pending> batch = new ArrayList<>();
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
            for (Pending pending : batch) {
                if (failure == null) {
                    pending.written.complete(null);
                } else {
                    pending.written.completeExceptionally(failure);
                }
            }
            writing.set(false);
            writeNextBatch();
        });
    }
}
