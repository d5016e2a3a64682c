package io.herald.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.herald.operator.crd.v1alpha1.spec.AppFeaturesSpec;
import io.herald.operator.crd.v1alpha1.spec.AppLimitsSpec;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PushAppSpec {

    /** Ids end up inside Redis keys, so they keep to a plain alphabet. */
    public static final String ID_PATTERN = "^[A-Za-z0-9_.-]+$";

    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the PushCluster, in the same namespace, that serves this app.")
    public String cluster;

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
}
