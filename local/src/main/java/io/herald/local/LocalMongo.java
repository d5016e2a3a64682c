package io.herald.local;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * The archive's MongoDB in local mode and in tests: mongo-java-server, which speaks MongoDB's wire
 * protocol, in the launcher's (or test's) process, holding its data in memory. The MongoDB drivers
 * talk to it as to a real server. It enforces unique indexes but not TTL indexes (nothing expires)
 * and has no change streams or transactions.
 *
 * <p>For fault injection it can be stopped ({@link #stop()}: the port refuses connections, open
 * connections are closed) and started again on the same port with the same data ({@link #restart()}),
 * as a real MongoDB restarted from its disk.
 */
public final class LocalMongo implements AutoCloseable {

    private final KeptBackend backend = new KeptBackend();
    private final int port;
    private MongoServer server;

    private LocalMongo(int port) {
        this.port = port;
    }

    public static LocalMongo start() {
        LocalMongo mongo = new LocalMongo(FreePorts.find());
        mongo.restart();
        return mongo;
    }

    public String uri() {
        return "mongodb://127.0.0.1:" + port;
    }

    /** Stops answering: connections are closed and new ones refused until {@link #restart()}. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdownNow();
            server = null;
        }
    }

    /** Serves again on the same port, with every document it held when stopped. */
    public synchronized void restart() {
        if (server == null) {
            server = new MongoServer(backend);
            server.bind("127.0.0.1", port);
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public synchronized void close() {
        stop();
        backend.discard();
    }

    /** A memory backend that survives its server: closing the server must not drop the data. */
    private static final class KeptBackend extends MemoryBackend {

        @Override
        public void close() {
            // Kept for the next server on the port; discard() drops it.
        }

        void discard() {
            super.close();
        }
    }
}
