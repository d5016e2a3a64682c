package io.herald.gateway.history;

import java.net.InetSocketAddress;
import java.util.Map;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} a MongoDB-wire server in the test JVM (mongo-java-server, which the
 * MongoDB driver talks to over TCP) and points {@code herald.mongodb.uri} at it.
 */
public class MongoTestResource implements QuarkusTestResourceLifecycleManager {

    private MongoServer server;

    @Override
    public Map<String, String> start() {
        server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        return Map.of("herald.mongodb.uri", "mongodb://127.0.0.1:" + address.getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }
}
