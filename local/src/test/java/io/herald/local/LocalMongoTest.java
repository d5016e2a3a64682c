package io.herald.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

class LocalMongoTest {

    @Test
    void aStoppedMongoRefusesWritesAndComesBackOnItsPortWithItsDocuments() {
        try (LocalMongo mongo = LocalMongo.start();
                MongoClient client = MongoClients.create(MongoClientSettings.builder()
                        .applyConnectionString(new ConnectionString(mongo.uri()))
                        .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(3, TimeUnit.SECONDS))
                        .build())) {
            MongoCollection<Document> events = client.getDatabase("herald").getCollection("events");
            events.insertOne(new Document("offset", 1L));

            mongo.stop();
            assertThrows(MongoException.class, () -> events.insertOne(new Document("offset", 2L)));

            mongo.restart();
            events.insertOne(new Document("offset", 3L));
            assertEquals(2, events.countDocuments(), "the document written before the stop is still there");
        }
    }
}
