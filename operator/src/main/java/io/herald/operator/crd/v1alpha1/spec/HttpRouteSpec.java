package io.herald.operator.crd.v1alpha1.spec;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A Gateway API HTTPRoute (gateway.networking.k8s.io/v1) for the gateways, beside or instead of the
 * Ingress, for platforms that expose services through a shared Gateway. The bounds are the
 * HTTPRoute's own, so that what this schema admits the Gateway API's admits too; the hostnames'
 * format is a schema constraint that CrdConventions adds, as the generator cannot annotate list items.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpRouteSpec {

    /** The HTTPRoute's own limits. */
    public static final int MAX_PARENT_REFS = 32;
    public static final int MAX_HOSTNAMES = 16;

    /**
     * The Gateway API refuses two references to one Gateway unless each names a distinct listener.
     * {@code namespace} is a CEL keyword, which Kubernetes escapes as {@code __namespace__}.
     */
    static final String DISTINCT_PARENTS = "self.all(p, self.exists_one(o, o.name == p.name"
            + " && (has(o.__namespace__) ? o.__namespace__ : '') == (has(p.__namespace__) ? p.__namespace__ : '')"
            + " && (has(o.sectionName) ? o.sectionName : '') == (has(p.sectionName) ? p.sectionName : '')))"
            + " && self.all(p, self.all(o, o.name != p.name"
            + " || (has(o.__namespace__) ? o.__namespace__ : '') != (has(p.__namespace__) ? p.__namespace__ : '')"
            + " || has(o.sectionName) == has(p.sectionName)))";

    @Required
    @Size(min = 1, max = MAX_PARENT_REFS)
    @ValidationRule(value = DISTINCT_PARENTS, message = "httpRoute.parentRefs must name each Gateway once, or several "
            + "of its listeners by distinct sectionNames")
    @JsonPropertyDescription("The Gateways (or their listeners) the route attaches to. A Gateway in another "
            + "namespace must allow routes from this one (its listeners' allowedRoutes).")
    public List<ParentRefSpec> parentRefs = new ArrayList<>();

    @Size(max = MAX_HOSTNAMES)
    @JsonPropertyDescription("Host names the route answers for, for example push.example.com or *.example.com. "
            + "Empty: every host name of the listeners it attaches to.")
    public List<String> hostnames = new ArrayList<>();
}
