package io.herald.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Which channels' publications are also written to the MongoDB archive, and for how long they stay there. */
public class ArchiveRuleSpec {

    /** Ten years of 365 days: longer is a typo more often than an intent. */
    public static final long MAX_RETENTION_SECONDS = 315_360_000L;

    @Required
    @Size(max = HistoryRuleSpec.PREFIX_MAX_LENGTH)
    @Pattern(HistoryRuleSpec.PREFIX_PATTERN)
    @JsonPropertyDescription("Publications to channels whose names start with this are archived by this rule; the "
            + "longest matching prefix wins, and \"\" matches every channel.")
    public String prefix;

    @Required
    @Min(1)
    @Max(MAX_RETENTION_SECONDS)
    @JsonPropertyDescription("Seconds an archived publication is kept in MongoDB, from 1 to ten years.")
    public long retentionSeconds;

    public ArchiveRuleSpec() {
    }

    public ArchiveRuleSpec(String prefix, long retentionSeconds) {
        this.prefix = prefix;
        this.retentionSeconds = retentionSeconds;
    }
}
