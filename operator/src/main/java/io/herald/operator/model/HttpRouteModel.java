package io.herald.operator.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.herald.operator.crd.v1alpha1.spec.HttpRouteSpec;
import io.herald.operator.crd.v1alpha1.spec.ParentRefSpec;

/**
 * The gateways' entrance through the Gateway API: an HTTPRoute that sends the Pusher paths (and the
 * web console's, when on), and nothing else, to the gateway Service, as the Ingress does. A generic resource, since the Gateway
 * API's CRDs may not be installed and the operator must not depend on their classes. Like the
 * Ingress it names only the Service, so scaling never edits it.
 */
public final class HttpRouteModel {

    public static final String GROUP = "gateway.networking.k8s.io";
    public static final String API_VERSION = GROUP + "/v1";
    public static final String KIND = "HTTPRoute";
    public static final String PLURAL = "httproutes";

    private HttpRouteModel() {
    }

    /** Where the API serves HTTPRoutes, given rather than discovered, as {@link MonitoringModel#definition} explains. */
    public static ResourceDefinitionContext definition() {
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion("v1").withKind(KIND)
                .withPlural(PLURAL).withNamespaced(true).build();
    }

    public static GenericKubernetesResource route(ClusterNames names, HttpRouteSpec route, boolean console) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("parentRefs", route.parentRefs.stream().map(HttpRouteModel::parentRef).toList());
        if (!route.hostnames.isEmpty()) {
            spec.put("hostnames", List.copyOf(route.hostnames));
        }
        spec.put("rules", List.of(Map.of(
                "matches", IngressModel.paths(console).stream().map(HttpRouteModel::match).toList(),
                "backendRefs", List.of(Map.of("group", "", "kind", "Service", "name", names.gateway(),
                        "port", GatewayModel.SERVICE_PORT, "weight", 1)))));
        return new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION).withKind(KIND)
                .withNewMetadata().withName(names.cluster()).withNamespace(names.namespace())
                    .withLabels(names.labels(Component.GATEWAY)).endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    /**
     * PathPrefix matches whole path segments, as the Ingress's Prefix does:
     * {@code /app/} takes {@code /app/key}, not {@code /apps/1}.
     */
    private static Map<String, Object> match(String prefix) {
        return Map.of("path", Map.of("type", "PathPrefix", "value", prefix));
    }

    /**
     * Group and kind as the HTTPRoute's schema would default them, here and in the backendRefs, so
     * that the object read back equals the plan.
     */
    private static Map<String, Object> parentRef(ParentRefSpec ref) {
        Map<String, Object> parent = new LinkedHashMap<>();
        parent.put("group", GROUP);
        parent.put("kind", "Gateway");
        parent.put("name", ref.name);
        if (ref.namespace != null) {
            parent.put("namespace", ref.namespace);
        }
        if (ref.sectionName != null) {
            parent.put("sectionName", ref.sectionName);
        }
        return parent;
    }
}
