package io.herald.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.PushClusterSpec;
import io.herald.operator.crd.v1alpha1.spec.HttpRouteSpec;
import io.herald.operator.crd.v1alpha1.spec.IngressSpec;
import io.herald.operator.crd.v1alpha1.spec.ParentRefSpec;

class HttpRouteModelTest {

    private static final ClusterNames NAMES = new ClusterNames("push", "team");
    private static final Images IMAGES = Images.resolve(null, "herald/gateway:1", "herald/router:1");

    @Test
    void noRouteIsPlannedWithoutTheSection() {
        assertEquals(Optional.empty(), plan(spec()).httpRoute());
    }

    @Test
    void theRouteSendsOnlyThePusherPathsToTheGatewayServiceAsTheIngressDoes() {
        PushClusterSpec spec = routed();
        spec.ingress = new IngressSpec();
        spec.ingress.host = "push.example.com";
        ClusterPlan plan = plan(spec);
        GenericKubernetesResource route = plan.httpRoute().orElseThrow();

        assertEquals("gateway.networking.k8s.io/v1", route.getApiVersion());
        assertEquals("HTTPRoute", route.getKind());
        assertEquals("push", route.getMetadata().getName());
        assertEquals("team", route.getMetadata().getNamespace());
        assertEquals(plan.gatewayService().getMetadata().getLabels(), route.getMetadata().getLabels());
        Map<?, ?> rule = (Map<?, ?>) ((List<?>) spec(route).get("rules")).get(0);
        List<?> ingressPaths = plan.ingress().orElseThrow().getSpec().getRules().get(0).getHttp().getPaths().stream()
                .map(HTTPIngressPath::getPath).toList();
        assertEquals(List.of(Map.of("path", Map.of("type", "PathPrefix", "value", "/app/")),
                Map.of("path", Map.of("type", "PathPrefix", "value", "/apps/")),
                Map.of("path", Map.of("type", "PathPrefix", "value", "/pusher/"))), rule.get("matches"));
        assertEquals(ingressPaths, ((List<?>) rule.get("matches")).stream()
                .map(match -> ((Map<?, ?>) ((Map<?, ?>) match).get("path")).get("value")).toList(),
                "the Ingress's paths: /q/ stays inside the cluster");
        Map<?, ?> backend = (Map<?, ?>) ((List<?>) rule.get("backendRefs")).get(0);
        assertEquals(plan.gatewayService().getMetadata().getName(), backend.get("name"));
        assertEquals(plan.gatewayService().getSpec().getPorts().get(0).getPort(), backend.get("port"));
        assertEquals("Service", backend.get("kind"));
    }

    @Test
    void theRouteAlsoSendsTheConsoleWhenTheClusterServesIt() {
        PushClusterSpec spec = routed();
        spec.gateway.console = true;
        Map<?, ?> rule = (Map<?, ?>) ((List<?>) spec(plan(spec).httpRoute().orElseThrow()).get("rules")).get(0);
        assertEquals(List.of("/app/", "/apps/", "/pusher/", "/console"), ((List<?>) rule.get("matches")).stream()
                .map(match -> ((Map<?, ?>) ((Map<?, ?>) match).get("path")).get("value")).toList());
    }

    @Test
    void parentRefsAndHostnamesAreTheSpecsWithTheDefaultsTheRouteSchemaWouldAdd() {
        GenericKubernetesResource route = plan(routed()).httpRoute().orElseThrow();

        assertEquals(List.of(
                Map.of("group", "gateway.networking.k8s.io", "kind", "Gateway", "name", "public"),
                Map.of("group", "gateway.networking.k8s.io", "kind", "Gateway", "name", "shared", "namespace", "infra",
                        "sectionName", "https")), spec(route).get("parentRefs"));
        assertEquals(List.of("push.example.com", "*.push.example.com"), spec(route).get("hostnames"));

        PushClusterSpec anyHost = routed();
        anyHost.httpRoute.hostnames = List.of();
        assertFalse(spec(plan(anyHost).httpRoute().orElseThrow()).containsKey("hostnames"),
                "without hostnames, the listeners' host names");
    }

    private static PushClusterSpec routed() {
        PushClusterSpec spec = spec();
        spec.httpRoute = new HttpRouteSpec();
        ParentRefSpec local = new ParentRefSpec();
        local.name = "public";
        ParentRefSpec shared = new ParentRefSpec();
        shared.name = "shared";
        shared.namespace = "infra";
        shared.sectionName = "https";
        spec.httpRoute.parentRefs = List.of(local, shared);
        spec.httpRoute.hostnames = List.of("push.example.com", "*.push.example.com");
        return spec;
    }

    private static Map<?, ?> spec(GenericKubernetesResource route) {
        return (Map<?, ?>) route.getAdditionalProperties().get("spec");
    }

    private static ClusterPlan plan(PushClusterSpec spec) {
        return ClusterPlan.of(NAMES, spec, 2, IMAGES, List.of(), "digest");
    }

    private static PushClusterSpec spec() {
        return TestClusters.cluster("team", "push").getSpec();
    }
}
