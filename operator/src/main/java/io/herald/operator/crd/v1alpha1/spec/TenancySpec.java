package io.herald.operator.crd.v1alpha1.spec;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Size;

/**
 * Which other namespaces may run PushApps on this cluster. The cluster's owner decides, not the
 * app's: a PushApp names a cluster in another namespace, and is served only if that cluster lists
 * the app's namespace here. The items' format is a schema constraint that CrdConventions adds, as
 * the generator cannot annotate list items.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TenancySpec {

    /** Bounds the list the operator checks each app's namespace against. */
    public static final int MAX_NAMESPACES = 256;

    @Size(max = MAX_NAMESPACES)
    @JsonPropertyDescription("Namespaces whose PushApps this cluster serves besides its own (spec.clusterNamespace "
            + "of a PushApp names this cluster's namespace). Empty: only PushApps of this namespace. Removing a "
            + "namespace withdraws its apps from the gateways. Needs an operator that watches both namespaces.")
    public List<String> allowedNamespaces = new ArrayList<>();
}
