package io.herald.streams;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import org.redisson.connection.ConnectionListener;

/**
 * Counts the times the Redis client lost its connections. A blocking read in flight when its
 * connection drops is re-sent by Redisson on the new connection, so its caller gets the answer
 * of the second run; if Redis had already run the first (a stream group read that moved entries
 * into the reader's pending list), nobody receives what the first took. Readers compare this
 * count before and after a read to know when to look at their pending entries.
 */
@Singleton
public class RedisDisconnects implements ConnectionListener {

    private final AtomicLong count = new AtomicLong();

    /** How many times the client lost its connection to Redis since it started. */
    public long count() {
        return count.get();
    }

    @Override
    public void onConnect(InetSocketAddress address) {
    }

    @Override
    public void onDisconnect(InetSocketAddress address) {
        count.incrementAndGet();
    }
}
