package io.herald.gateway.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.herald.streams.ClusterSettings;
import io.herald.streams.InterestChange;
import io.herald.streams.ShardStreams;

/**
 * Tells routers which channels this gateway has subscribers on. Changes are written one batch at
 * a time, in the order they were announced: a "lost interest" overtaking a later "gained
 * interest" for the same channel would cut its subscribers off. Announcements that arrive while
 * a batch is in flight are coalesced into the next one.
 */
@ApplicationScoped
public class InterestAnnouncer {

    private static final int MAX_BATCH = 1024;

    @Inject
    ShardStreams shardStreams;

    @Inject
    ClusterSettings cluster;

    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    private record Pending(InterestChange change, CompletableFuture<Void> written) {
    }

    /** @return completes when the change is in the channel's shard stream */
    public CompletableFuture<Void> announce(ChannelKey channel, boolean interested) {
        Pending pending = new Pending(new InterestChange(channel.app(), channel.channel(), cluster.nodeId(), interested),
                new CompletableFuture<>());
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
            // An announcement may have been queued after the poll but before the flag dropped.
            if (!queue.isEmpty()) {
                writeNextBatch();
            }
            return;
        }
        shardStreams.append(batch.stream().map(Pending::change).toList()).whenComplete((ignored, failure) -> {
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
