package io.herald.local;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} a real, throw-away Redis (see {@link LocalRedis}) and points
 * {@code herald.redis.url} at it.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private LocalRedis redis;

    @Override
    public Map<String, String> start() {
        redis = LocalRedis.start();
        return Map.of("herald.redis.url", redis.url());
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.close();
        }
    }
}
