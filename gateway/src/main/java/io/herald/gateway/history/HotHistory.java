package io.herald.gateway.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

import io.herald.streams.ClusterSettings;
import io.herald.streams.HistoryEvent;
import io.herald.streams.Position;

/**
 * A channel's position record and hot history in Redis, as its router writes them: the hash
 * {@code position} ({@code epoch}, last {@code offset}) and the stream {@code history}, one entry
 * {@code <offset>-0} per event: the router's {@link Position} and {@link HistoryEvent}s. Blocks
 * on Redis; callers run it off the event loop.
 */
@ApplicationScoped
class HotHistory {

    /**
     * @param position empty when the channel has no position record (never published to, or idle
     *        longer than the record lives)
     * @param events the query's events of the position's epoch that the stream holds, in the query's order
     */
    record Snapshot(Optional<Position> position, List<HistoryEvent> events) {
    }

    /** An epoch changes once in hours at most, so a read that keeps meeting changes means something is wrong. */
    private static final int EPOCH_CHANGE_ATTEMPTS = 3;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    Snapshot read(String app, String channel, HistoryQuery query) {
        for (int attempt = 1; ; attempt++) {
            Optional<Snapshot> snapshot = readOnce(app, channel, query);
            if (snapshot.isPresent()) {
                return snapshot.get();
            }
            if (attempt == EPOCH_CHANGE_ATTEMPTS) {
                throw new IllegalStateException("The channel's epoch changed during each of " + attempt + " reads");
            }
        }
    }

    /**
     * The position, the range and the position again, pipelined in that order: events never run
     * past the second position, and when the two positions' epochs differ (the channel's history
     * was lost and began anew meanwhile) the events may be of either epoch, so the read is empty.
     */
    private Optional<Snapshot> readOnce(String app, String channel, HistoryQuery query) {
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        String positionKey = cluster.layout().position(app, channel);
        RFuture<Map<String, String>> before = batch.<String, String>getMap(positionKey, StringCodec.INSTANCE).readAllMapAsync();
        RFuture<Map<StreamMessageId, Map<String, String>>> entries = null;
        if (!query.isEmptyRange()) {
            var stream = batch.<String, String>getStream(cluster.layout().history(app, channel), StringCodec.INSTANCE);
            StreamMessageId low = new StreamMessageId(query.after() + 1, 0);
            StreamMessageId high = query.before() == Long.MAX_VALUE ? StreamMessageId.MAX : new StreamMessageId(query.before() - 1, 0);
            entries = query.forward() ? stream.rangeAsync(query.limit(), low, high)
                    : stream.rangeReversedAsync(query.limit(), high, low);
        }
        RFuture<Map<String, String>> after = batch.<String, String>getMap(positionKey, StringCodec.INSTANCE).readAllMapAsync();
        batch.execute();
        Optional<Position> first = position(before.toCompletableFuture().join());
        Optional<Position> current = position(after.toCompletableFuture().join());
        if (!first.map(Position::epoch).equals(current.map(Position::epoch))) {
            return Optional.empty();
        }
        List<HistoryEvent> events = new ArrayList<>();
        if (entries != null && current.isPresent()) {
            entries.toCompletableFuture().join().forEach((id, fields) -> events.add(new HistoryEvent(id.getId0(),
                    fields.get("event"), fields.get("data"), fields.get("user_id"))));
        }
        Comparator<HistoryEvent> byOffset = Comparator.comparingLong(HistoryEvent::offset);
        events.sort(query.forward() ? byOffset : byOffset.reversed());
        return Optional.of(new Snapshot(current, events));
    }

    private static Optional<Position> position(Map<String, String> hash) {
        String epoch = hash.get("epoch");
        String offset = hash.get("offset");
        if (epoch == null || offset == null) {
            return Optional.empty();
        }
        return Optional.of(new Position(epoch, Long.parseLong(offset)));
    }
}
