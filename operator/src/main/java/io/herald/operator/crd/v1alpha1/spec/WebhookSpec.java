package io.herald.operator.crd.v1alpha1.spec;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.herald.contract.WebhookEventTypes;

/** One of an app's webhooks: where Herald POSTs Pusher's webhook batches, and which events go there. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookSpec {

    /**
     * http or https, a host name or IPv4 address, an optional port, then a path, query or nothing;
     * no spaces. The same regex in Java and CEL (RE2), so it holds no backslash. Narrower than URLs
     * are (no user info, no IPv6 literal), so that every URL it passes is one gateways accept: a
     * webhook they refused would keep the whole apps Secret from them.
     */
    public static final String URL_PATTERN = "^https?://[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:[0-9]{1,5})?([/?#][^ ]*)?$";
    public static final int URL_MAX_LENGTH = 2048;

    @Required
    @Size(max = URL_MAX_LENGTH)
    @ValidationRule(value = "self.matches('" + URL_PATTERN + "')",
            message = "url must be an absolute http:// or https:// URL of a host name or IPv4 address, without spaces")
    @JsonPropertyDescription("Where the webhook batches are POSTed: an absolute http:// or https:// URL.")
    public String url;

    /** Each item is one of {@link WebhookEventTypes#ALL}: a schema enum ({@code CrdConventions}), which costs no CEL. */
    @Size(max = 7)
    @JsonPropertyDescription("Which events go to this URL, by Pusher's names: channel_occupied, channel_vacated, "
            + "member_added, member_removed, client_event, cache_miss, subscription_count (only for apps with "
            + "features.subscriptionCount). Empty or left out: all of them.")
    public List<String> eventTypes = new ArrayList<>();

    @Size(max = HistoryRuleSpec.PREFIX_MAX_LENGTH)
    @Pattern(HistoryRuleSpec.PREFIX_PATTERN)
    @JsonPropertyDescription("Only events of channels whose names start with this; left out or \"\" for every channel.")
    public String channelPrefix;

    public WebhookSpec() {
    }

    public WebhookSpec(String url, List<String> eventTypes, String channelPrefix) {
        this.url = url;
        this.eventTypes = eventTypes;
        this.channelPrefix = channelPrefix;
    }
}
