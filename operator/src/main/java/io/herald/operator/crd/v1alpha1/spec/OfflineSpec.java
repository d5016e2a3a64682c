package io.herald.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * What users' personal streams keep for their devices that are offline. The bounds keep one
 * user's stream within a known Redis cost: at most 10,000 events for at most 30 days; under a
 * minute would drop events a device merely reconnecting could still want.
 */
public class OfflineSpec {

    public static final int MIN_RETENTION_SECONDS = 60;
    public static final int MAX_RETENTION_SECONDS = 2_592_000;
    public static final int DEFAULT_RETENTION_SECONDS = 86_400;
    public static final int MAX_EVENTS = 10_000;
    public static final int DEFAULT_MAX_EVENTS = 1000;

    @Min(MIN_RETENTION_SECONDS)
    @Max(MAX_RETENTION_SECONDS)
    @Default("86400")
    @JsonPropertyDescription("Seconds a user's personal stream keeps an event for the user's offline devices, from "
            + "a minute (60) to 30 days (2592000); a day by default.")
    public int retentionSeconds = DEFAULT_RETENTION_SECONDS;

    @Min(1)
    @Max(MAX_EVENTS)
    @Default("1000")
    @JsonPropertyDescription("Events a user's personal stream keeps at most, from 1 to 10000; 1000 by default.")
    public int maxEvents = DEFAULT_MAX_EVENTS;

    public OfflineSpec() {
    }

    public OfflineSpec(int retentionSeconds, int maxEvents) {
        this.retentionSeconds = retentionSeconds;
        this.maxEvents = maxEvents;
    }
}
