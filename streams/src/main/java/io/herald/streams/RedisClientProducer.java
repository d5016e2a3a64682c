package io.herald.streams;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;
import org.redisson.config.ReadMode;
import org.redisson.config.TransportMode;

import io.netty.channel.epoll.Epoll;

import io.herald.contract.PodSettings;

/**
 * The one Redis client of a gateway or router process: to one Redis, or to a Redis Cluster when
 * {@link PodSettings#REDIS_CLUSTER} is set, where the URL names its seed nodes (comma-separated)
 * and Redisson routes each command, script and pipelined batch by its keys' slots.
 */
@ApplicationScoped
public class RedisClientProducer {

    @Inject
    StreamsConfig config;

    /**
     * Redisson derives its timer's tick from the retry delay: its default, a random 0.5-1 s,
     * makes the timer thread wake every 10-49 ms, 20-100 times a second in an idle process (0.3-0.6 %
     * of a core here; docs/performance.md). One second, even, makes it 100 ms. With no retries
     * (below) the delay itself is never waited, and 100 ms is fine grain for timeouts of seconds.
     */
    static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    @Inject
    RedisDisconnects disconnects;

    @Produces
    @Singleton
    RedissonClient redisson() {
        StreamsConfig.Redis settings = this.config.redis();
        String url = settings.url();
        Config config = new Config();
        config.setCodec(StringCodec.INSTANCE);
        config.setConnectionListener(disconnects);
        config.setNettyThreads(settings.nettyThreads());
        if (Epoll.isAvailable()) {
            config.setTransportMode(TransportMode.EPOLL);
        }
        // A handful of connections carries pipelined batches and the one or two blocking stream
        // reads; Redisson's default of 24 idle connections per process is far more than needed.
        // No retries by Redisson: a command whose reply was lost (a timeout while Redis is paused,
        // a crash) may have run, and running it again would publish twice, or hand a router's
        // group read to it twice so that the first batch stays pending unseen. Each caller
        // handles a failure itself: a router replays its pending entries, a publish is answered
        // 503, the ordered writer and the inbox reader try again. Blocking reads are re-sent
        // after a reconnect all the same; RedisDisconnects tells their callers.
        if (settings.cluster()) {
            // Read from primaries only: a replica's answer may lag what a router just wrote.
            config.useClusterServers()
                    .setRetryAttempts(0)
                    .setRetryDelay(new ConstantDelay(RETRY_DELAY))
                    .addNodeAddress(seeds(url))
                    .setReadMode(ReadMode.MASTER)
                    .setMasterConnectionMinimumIdleSize(4)
                    .setMasterConnectionPoolSize(32);
        } else {
            config.useSingleServer()
                    .setRetryAttempts(0)
                    .setRetryDelay(new ConstantDelay(RETRY_DELAY))
                    .setAddress(url)
                    .setConnectionMinimumIdleSize(4)
                    .setConnectionPoolSize(32);
        }
        settings.password().ifPresent(config::setPassword);
        return Redisson.create(config);
    }

    /**
     * The seed nodes of a cluster URL: {@code redis://a:6379,b:6379} names two, each taking the
     * first one's scheme when it has none (the operator prefixes the address Secret's value once).
     */
    static String[] seeds(String url) {
        String[] seeds = url.trim().split("\\s*,\\s*");
        String scheme = seeds[0].contains("://") ? seeds[0].substring(0, seeds[0].indexOf("://") + 3) : "redis://";
        for (int i = 0; i < seeds.length; i++) {
            if (!seeds[i].contains("://")) {
                seeds[i] = scheme + seeds[i];
            }
        }
        return seeds;
    }

    void close(@Disposes RedissonClient client) {
        client.shutdown();
    }
}
