package io.herald.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * How much hot history (in Redis) the channels whose names start with a prefix keep. The bounds
 * keep one channel's history within a known memory cost: 10,000 events of at most 10 KB for at
 * most a week.
 */
public class HistoryRuleSpec {

    /** Characters of channel names, and '#' for the server-to-user channels; "" matches every channel. */
    public static final String PREFIX_PATTERN = "^[-A-Za-z0-9_=@,.;#]*$";
    public static final int PREFIX_MAX_LENGTH = 180;
    public static final int MAX_SIZE = 10_000;
    public static final int MAX_TTL_SECONDS = 604_800;

    @Required
    @Size(max = PREFIX_MAX_LENGTH)
    @Pattern(PREFIX_PATTERN)
    @JsonPropertyDescription("Channels whose names start with this keep history by this rule; the longest matching "
            + "prefix wins, and \"\" matches every channel.")
    public String prefix;

    @Required
    @Min(0)
    @Max(MAX_SIZE)
    @JsonPropertyDescription("Events each matching channel keeps, at most. 0 turns history off for these channels.")
    public int size;

    @Required
    @Min(0)
    @Max(MAX_TTL_SECONDS)
    @JsonPropertyDescription("Seconds a matching channel keeps its history after its last publication, at most a week.")
    public int ttlSeconds;

    public HistoryRuleSpec() {
    }

    public HistoryRuleSpec(String prefix, int size, int ttlSeconds) {
        this.prefix = prefix;
        this.size = size;
        this.ttlSeconds = ttlSeconds;
    }
}
