package io.herald.streams;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/** The one Redis client of a gateway or router process. */
@ApplicationScoped
public class RedisClientProducer {

    @ConfigProperty(name = "herald.redis.url", defaultValue = "redis://127.0.0.1:6379")
    String url;

    @Produces
    @Singleton
    RedissonClient redisson() {
        Config config = new Config();
        config.setCodec(StringCodec.INSTANCE);
        // A handful of connections carries pipelined batches and the one or two blocking stream
        // reads; Redisson's default of 24 idle connections per process is far more than needed.
        config.useSingleServer()
                .setAddress(url)
                .setConnectionMinimumIdleSize(4)
                .setConnectionPoolSize(32);
        return Redisson.create(config);
    }

    void close(@Disposes RedissonClient client) {
        client.shutdown();
    }
}
