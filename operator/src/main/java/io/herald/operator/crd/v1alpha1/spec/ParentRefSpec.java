package io.herald.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Gateway the cluster's HTTPRoute attaches to: the Gateway API's ParentReference, for kind Gateway only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ParentRefSpec {

    /** A DNS subdomain, as the Gateway API spells object and listener names. */
    static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    @Required
    @Size(min = 1, max = 253)
    @Pattern(DNS_SUBDOMAIN)
    @JsonPropertyDescription("Name of the Gateway.")
    public String name;

    @Size(max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Namespace of the Gateway; the PushCluster's when empty.")
    public String namespace;

    @Size(max = 253)
    @Pattern(DNS_SUBDOMAIN)
    @JsonPropertyDescription("Name of the Gateway's listener to attach to; every listener that allows the route "
            + "when empty.")
    public String sectionName;
}
