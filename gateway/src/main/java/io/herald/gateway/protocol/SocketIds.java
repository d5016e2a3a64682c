package io.herald.gateway.protocol;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redisson.api.RedissonClient;

import io.herald.streams.ClusterSettings;
import io.quarkus.runtime.Startup;

/**
 * Hands out Pusher socket ids ({@code ^\d+\.\d+$}, which every server SDK checks) that are unique
 * across the cluster: {@code <counter>.<node number><6 random digits>}. The node number comes
 * from a Redis counter, so no two gateway processes share one; the counter makes ids unique
 * within a process, and the random digits keep them unguessable.
 */
@Startup
@ApplicationScoped
public class SocketIds {

    private static final int RANDOM_DIGITS = 1_000_000;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    private final AtomicLong counter = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private long nodeNumber;

    @PostConstruct
    void init() {
        nodeNumber = redis.getAtomicLong(cluster.layout().nodeSequence()).incrementAndGet();
    }

    /** The number this gateway embeds in its socket ids; unique among the gateways of the cluster. */
    public long nodeNumber() {
        return nodeNumber;
    }

    public String next() {
        long suffix = nodeNumber * RANDOM_DIGITS + random.nextInt(RANDOM_DIGITS);
        return counter.incrementAndGet() + "." + suffix;
    }
}
