package io.herald.gateway.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import io.herald.gateway.GatewayConfig;
import io.herald.streams.HistoryEvent;

/**
 * The MongoDB archive, read for REST history: collection {@code events} of database
 * {@code herald}, one document {@code {app, channel, epoch, offset, event, data, userId?, at,
 * expireAt}} per archived publication, unique on {@code (app, channel, epoch, offset)}, which
 * also serves every query here. Without {@code herald.mongodb.uri} there is no archive, and the
 * MongoDB client is never created. Blocks; callers run it off the event loop.
 */
@ApplicationScoped
class ArchiveReader {

    static final String DATABASE = "herald";
    static final String COLLECTION = "events";

    @Inject
    GatewayConfig config;

    @Inject
    Instance<MongoClient> mongo;

    boolean enabled() {
        return config.mongodb().configured();
    }

    /**
     * The archived events of one epoch with offsets strictly between the bounds, walked from
     * {@code after} (forward) or from {@code before} (backward), at most {@code limit}.
     */
    List<HistoryEvent> read(String app, String channel, String epoch, long after, long before, int limit, boolean forward) {
        List<Bson> filters = new ArrayList<>(List.of(Filters.eq("app", app), Filters.eq("channel", channel),
                Filters.eq("epoch", epoch), Filters.gt("offset", after)));
        if (before != Long.MAX_VALUE) {
            filters.add(Filters.lt("offset", before));
        }
        List<HistoryEvent> events = new ArrayList<>();
        for (Document document : events().find(Filters.and(filters))
                .sort(forward ? Sorts.ascending("offset") : Sorts.descending("offset")).limit(limit)) {
            events.add(new HistoryEvent(document.get("offset", Number.class).longValue(), document.getString("event"),
                    document.getString("data"), document.getString("userId")));
        }
        return events;
    }

    /** The epoch of the channel's most recently archived event, for a channel that has no position record any more. */
    Optional<String> latestEpoch(String app, String channel) {
        return Optional.ofNullable(events().find(Filters.and(Filters.eq("app", app), Filters.eq("channel", channel)))
                .sort(Sorts.descending("at")).limit(1).first()).map(document -> document.getString("epoch"));
    }

    /** The highest archived offset of an epoch that is not the channel's current one; 0 when none is archived. */
    long lastOffset(String app, String channel, String epoch) {
        return Optional.ofNullable(events().find(Filters.and(Filters.eq("app", app), Filters.eq("channel", channel),
                Filters.eq("epoch", epoch))).sort(Sorts.descending("offset")).limit(1).first())
                .map(document -> document.get("offset", Number.class).longValue()).orElse(0L);
    }

    private MongoCollection<Document> events() {
        return mongo.get().getDatabase(DATABASE).getCollection(COLLECTION);
    }
}
