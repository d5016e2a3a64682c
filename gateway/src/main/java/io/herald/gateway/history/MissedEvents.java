package io.herald.gateway.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

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
import io.herald.streams.RecoveryAnswer;

/**
 * Reads the events that the routers' recovery answers promise from the channels' hot history,
 * all answers of an inbox batch in one pipelined round trip. The history holds every event up to
 * an answer's position when the answer arrives (the router wrote both in one fenced script), but
 * may have lost the oldest since (trimmed by newer events, expired): an answer whose events are
 * not all there any more is turned into a failed recovery, which the client is told about. The
 * channel's epoch is read before and after the range, as in {@link HotHistory}: a history that was
 * lost and began anew meanwhile could hold other events at the same offsets.
 */
@ApplicationScoped
public class MissedEvents {

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    /** Whether the answer still needs its events read before it can be handed to the client. */
    public static boolean needsEvents(RecoveryAnswer answer) {
        return answer.gap() > 0 && answer.events().isEmpty();
    }

    /** The answers, in their order, completed with their events or failed; fails only when Redis does. */
    public CompletionStage<List<RecoveryAnswer>> read(List<RecoveryAnswer> answers) {
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        List<Read> reads = new ArrayList<>(answers.size());
        for (RecoveryAnswer answer : answers) {
            String position = cluster.layout().position(answer.app(), answer.channel());
            RFuture<String> before = batch.<String, String>getMap(position, StringCodec.INSTANCE).getAsync("epoch");
            RFuture<Map<StreamMessageId, Map<String, String>>> range = batch
                    .<String, String>getStream(cluster.layout().history(answer.app(), answer.channel()), StringCodec.INSTANCE)
                    .rangeAsync(Math.toIntExact(answer.gap()), new StreamMessageId(answer.since().offset() + 1, 0),
                            new StreamMessageId(answer.current().offset(), 0));
            RFuture<String> after = batch.<String, String>getMap(position, StringCodec.INSTANCE).getAsync("epoch");
            reads.add(new Read(answer, before, range, after));
        }
        return batch.executeAsync().thenApply(done -> reads.stream().map(Read::completed).toList());
    }

    private record Read(RecoveryAnswer answer, RFuture<String> before, RFuture<Map<StreamMessageId, Map<String, String>>> range,
            RFuture<String> after) {

        RecoveryAnswer completed() {
            String epoch = answer.current().epoch();
            if (!epoch.equals(join(before)) || !epoch.equals(join(after))) {
                return answer.completed(false, List.of());
            }
            List<HistoryEvent> events = new ArrayList<>(Math.toIntExact(answer.gap()));
            long expected = answer.since().offset() + 1;
            for (Map.Entry<StreamMessageId, Map<String, String>> entry : join(range).entrySet()) {
                if (entry.getKey().getId0() != expected) {
                    return answer.completed(false, List.of());
                }
                Map<String, String> fields = entry.getValue();
                events.add(new HistoryEvent(expected++, fields.get("event"), fields.get("data"), fields.get("user_id")));
            }
            return answer.completed(events.size() == answer.gap(), events);
        }

        private static <T> T join(RFuture<T> future) {
            return future.toCompletableFuture().join();
        }
    }
}
