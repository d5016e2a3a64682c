package io.herald.operator.crd.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.herald.operator.crd.v1alpha1.spec.AppFeaturesSpec;
import io.herald.operator.crd.v1alpha1.spec.AppLimitsSpec;
import io.herald.operator.crd.v1alpha1.spec.ArchiveRuleSpec;
import io.herald.operator.crd.v1alpha1.spec.HistoryRuleSpec;
import io.herald.operator.crd.v1alpha1.spec.OfflineSpec;
import io.herald.operator.crd.v1alpha1.spec.WebhookSpec;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PushAppSpec {

    /** Ids end up inside Redis keys, so they keep to a plain alphabet. */
    public static final String ID_PATTERN = "^[A-Za-z0-9_.-]+$";

    /** Bounds the rule lists, and so the cost of their uniqueness rules for the API server. */
    public static final int MAX_RULES = 64;

    /** More would make one fact cost more POSTs than a gateway should spend on one app. */
    public static final int MAX_WEBHOOKS = 10;

    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the PushCluster that serves this app: in this namespace, or in clusterNamespace.")
    public String cluster;

    @Size(max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Namespace of the PushCluster, when it is not this PushApp's. That cluster serves the app "
            + "only if its spec.tenancy.allowedNamespaces lists this namespace; the secretRef Secret stays in this "
            + "namespace. Needs an operator that watches both namespaces.")
    public String clusterNamespace;

    @Required
    @Size(min = 1, max = 64)
    @Pattern(ID_PATTERN)
    @ValidationRule(value = "self == oldSelf", message = "appId is immutable: create another PushApp for a new id")
    @JsonPropertyDescription("The Pusher app id backends use in REST paths (/apps/{appId}/...). Letters, digits, "
            + "'_', '.' and '-'. Immutable.")
    public String appId;

    @Required
    @Size(min = 1, max = 128)
    @Pattern(ID_PATTERN)
    @JsonPropertyDescription("The Pusher app key clients connect with (/app/{key}). Unique within the cluster.")
    public String key;

    @Required
    @JsonPropertyDescription("Where the app secret is: it signs REST requests and channel authorizations.")
    public SecretKeyRef secretRef;

    @JsonPropertyDescription("What the app's clients may do.")
    public AppFeaturesSpec features = new AppFeaturesSpec();

    @JsonPropertyDescription("Limits that protect the cluster from one app.")
    public AppLimitsSpec limits = new AppLimitsSpec();

    @Size(max = MAX_RULES)
    @ValidationRule(value = "self.all(r, self.exists_one(o, o.prefix == r.prefix))",
            message = "history prefixes must be unique: two rules for one prefix cannot both apply")
    @JsonPropertyDescription("Hot history in Redis, per channel-name prefix: how many events and for how long each "
            + "matching channel keeps, for recovery on resubscribe and REST history reads. Channels no rule matches "
            + "keep the cluster's default, 100 events for 120 seconds.")
    public List<HistoryRuleSpec> history = new ArrayList<>();

    @Size(max = MAX_RULES)
    @ValidationRule(value = "self.all(r, self.exists_one(o, o.prefix == r.prefix))",
            message = "archive prefixes must be unique: two rules for one prefix cannot both apply")
    @JsonPropertyDescription("The MongoDB archive, per channel-name prefix: publications to matching channels are "
            + "also written to the cluster's MongoDB and kept for retentionSeconds. No rule, no archive.")
    public List<ArchiveRuleSpec> archive = new ArrayList<>();

    @JsonPropertyDescription("Offline delivery: how long and how many events each user's personal stream "
            + "(#server-to-user-) keeps for the user's devices that are offline. Without it, a day and 1000 events. "
            + "A history rule of prefix #server-to-user- or a longer one wins over it.")
    public OfflineSpec offline;

    @Size(max = MAX_WEBHOOKS)
    @JsonPropertyDescription("Pusher webhooks: the cluster POSTs batches of events (channel_occupied, "
            + "channel_vacated, member_added, member_removed, client_event, cache_miss, subscription_count) to each URL, signed with the "
            + "app's secret (X-Pusher-Key, X-Pusher-Signature), as pusher.webhook() in the server SDKs verifies.")
    public List<WebhookSpec> webhooks = new ArrayList<>();
}
