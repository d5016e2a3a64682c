package io.herald.router.archive;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.Document;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;

/**
 * The MongoDB collection {@code events}: one document per archived publication. A unique index on
 * the position ({@code app, channel, epoch, offset}) makes writing idempotent, so a batch written
 * again (a retry after a lost answer, a takeover by another router) changes nothing; a TTL index
 * on {@code expireAt} lets MongoDB remove each event when its retention has passed.
 */
final class EventArchive {

    static final String COLLECTION = "events";
    static final String POSITION_INDEX = "position";
    static final String EXPIRY_INDEX = "expiry";
    private static final int DUPLICATE_KEY = 11000;

    private final MongoCollection<Document> events;

    EventArchive(MongoClient client, String database) {
        this.events = client.getDatabase(database).getCollection(COLLECTION);
    }

    /** Creates both indexes unless they exist; nothing may be written before the unique one is there. */
    void ensureIndexes() {
        events.createIndex(Indexes.ascending("app", "channel", "epoch", "offset"),
                new IndexOptions().name(POSITION_INDEX).unique(true));
        events.createIndex(Indexes.ascending("expireAt"), new IndexOptions().name(EXPIRY_INDEX).expireAfter(0L, TimeUnit.SECONDS));
    }

    /**
     * Writes the documents, unordered so one duplicate does not stop the others. Returns once
     * MongoDB holds every one of them, duplicates counting as held.
     *
     * @throws com.mongodb.MongoException when MongoDB did not confirm them all
     */
    void write(List<Document> documents) {
        if (documents.isEmpty()) {
            return;
        }
        try {
            events.insertMany(documents, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            boolean onlyDuplicates = e.getWriteConcernError() == null
                    && e.getWriteErrors().stream().mapToInt(BulkWriteError::getCode).allMatch(code -> code == DUPLICATE_KEY);
            if (!onlyDuplicates) {
                throw e;
            }
        }
    }
}
