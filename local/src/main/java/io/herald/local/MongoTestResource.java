package io.herald.local;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} a throw-away MongoDB-wire server ({@link LocalMongo}) and points
 * {@code herald.mongodb.uri} at it. Tests reach the server itself, to stop and restart it, through
 * {@link #current()}.
 */
public class MongoTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile LocalMongo current;

    private LocalMongo mongo;

    /** The server of the running test class's Quarkus application. */
    public static LocalMongo current() {
        return current;
    }

    @Override
    public Map<String, String> start() {
        mongo = LocalMongo.start();
        current = mongo;
        return Map.of("herald.mongodb.uri", mongo.uri());
    }

    @Override
    public void stop() {
        if (mongo != null) {
            mongo.close();
        }
    }
}
