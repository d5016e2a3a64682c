package io.herald.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

import io.herald.local.LocalRedis;
import io.netty.util.HashedWheelTimer;

/** The Redis client as gateways and routers make it, against a real Redis. */
class RedisClientProducerTest {

    /**
     * Every wake-up of an idle process costs CPU; Redisson's timer, left to its defaults, wakes
     * every 10-49 ms. Netty keeps the tick private, hence the reflection.
     */
    @Test
    void theClientsTimerWakesTenTimesASecondNotFiftyToAHundred() throws ReflectiveOperationException {
        try (LocalRedis localRedis = LocalRedis.start()) {
            RedissonClient redis = TestNodes.client(localRedis.url());
            try {
                redis.getBucket("ping").set("pong");
                HashedWheelTimer timer = ((Redisson) redis).getServiceManager().getTimer();
                Field tick = HashedWheelTimer.class.getDeclaredField("tickDuration");
                tick.setAccessible(true);
                assertEquals(Duration.ofMillis(100).toNanos(), (long) tick.get(timer));
            } finally {
                redis.shutdown();
            }
        }
    }
}
