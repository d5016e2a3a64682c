package io.herald.operator;

import java.time.Duration;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A resync of an hour, so that a test's reconciles can only come from informer events (or the
 * 30 s maximum reconciliation interval): what such a test sees within seconds arrived by event.
 * Test classes sharing this profile share one Quarkus start.
 */
public class HourlyResync implements QuarkusTestProfile {

    /** How soon a change must arrive by its event: well under the 30 s maximum reconciliation interval. */
    public static final Duration BY_EVENT = Duration.ofSeconds(10);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("herald.operator.resync-seconds", "3600");
    }
}
