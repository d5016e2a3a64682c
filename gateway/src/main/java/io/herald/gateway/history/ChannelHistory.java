package io.herald.gateway.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.herald.streams.HistoryEvent;
import io.herald.streams.Position;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A channel's history as one sequence: the hot history in Redis holds its newest events, the
 * MongoDB archive (when there is one) the older ones. What Redis holds is read first, in one
 * snapshot; the archive is asked only for offsets beyond the snapshot's oldest event, so where the
 * two meet no event is missed (Redis trimming meanwhile cannot open a hole) and none comes twice.
 * Blocks; callers run it off the event loop.
 */
@ApplicationScoped
public class ChannelHistory {

    @Inject
    HotHistory hot;

    @Inject
    ArchiveReader archive;

    /**
     * {@code {"epoch":..,"offset":..,"events":[...]}}: the epoch read (null when the channel has
     * none), its last offset, and the query's events in its order.
     */
    public JsonObject read(String app, String channel, HistoryQuery query) {
        HotHistory.Snapshot snapshot = hot.read(app, channel, query);
        Optional<String> epoch = query.epoch().or(() -> snapshot.position().map(Position::epoch))
                .or(() -> archive.enabled() ? archive.latestEpoch(app, channel) : Optional.empty());
        if (epoch.isEmpty()) {
            return answer(null, 0, List.of());
        }
        boolean current = snapshot.position().filter(position -> position.epoch().equals(epoch.get())).isPresent();
        long last = current ? snapshot.position().get().offset()
                : archive.enabled() ? archive.lastOffset(app, channel, epoch.get()) : 0;
        List<HistoryEvent> events = new ArrayList<>(current ? snapshot.events() : List.of());
        // Redis holds a suffix of the epoch, so what the archive may add lies beyond the snapshot's oldest event.
        if (archive.enabled() && query.after() < last) {
            if (query.forward()) {
                long before = events.isEmpty() ? query.before() : events.get(0).offset();
                if (before - query.after() > 1) {
                    events.addAll(0, archive.read(app, channel, epoch.get(), query.after(), before, query.limit(), true));
                }
            } else if (events.size() < query.limit()) {
                long before = events.isEmpty() ? query.before() : events.get(events.size() - 1).offset();
                if (before - query.after() > 1) {
                    events.addAll(archive.read(app, channel, epoch.get(), query.after(), before, query.limit() - events.size(), false));
                }
            }
        }
        return answer(epoch.get(), last, events.subList(0, Math.min(events.size(), query.limit())));
    }

    private static JsonObject answer(String epoch, long last, List<HistoryEvent> events) {
        JsonArray array = new JsonArray();
        for (HistoryEvent event : events) {
            JsonObject json = new JsonObject().put("event", event.event()).put("data", event.data()).put("offset", event.offset())
                    .put("epoch", epoch);
            if (event.userId() != null) {
                json.put("user_id", event.userId());
            }
            array.add(json);
        }
        return new JsonObject().put("epoch", epoch).put("offset", last).put("events", array);
    }
}
