package io.herald.local;

import java.time.Duration;
import java.util.Map;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * A module's config mapping made as a running gateway or router makes it, for tests that make
 * beans by hand or check which names a mapping reads. Durations take Quarkus's syntax
 * ({@code 1500ms}, {@code 2s}), as in the pods. Only for tests: it needs Quarkus on the classpath.
 */
public final class TestConfigMappings {

    private TestConfigMappings() {
    }

    /** The mapping from these properties ({@code herald.redis.url}), defaults for the rest. */
    public static <T> T fromProperties(Class<T> mapping, Map<String, String> properties) {
        return build(mapping, new PropertiesConfigSource(properties, "test", 100));
    }

    /** The mapping from these environment variables ({@code HERALD_REDIS_URL}), as the operator sets them. */
    public static <T> T fromEnvironment(Class<T> mapping, Map<String, String> variables) {
        return build(mapping, new EnvConfigSource(variables, 300));
    }

    private static <T> T build(Class<T> mapping, org.eclipse.microprofile.config.spi.ConfigSource source) {
        return new SmallRyeConfigBuilder()
                .withMapping(mapping)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(source)
                .build()
                .getConfigMapping(mapping);
    }
}
