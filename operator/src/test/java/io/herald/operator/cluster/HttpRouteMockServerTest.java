package io.herald.operator.cluster;

import static io.herald.operator.AwaitResources.TIMEOUT;
import static io.herald.operator.AwaitResources.edit;
import static io.herald.operator.AwaitResources.existing;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.operator.OperatorAccess;
import io.herald.operator.RecordedRequests;
import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.Condition;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.crd.v1alpha1.spec.HttpRouteSpec;
import io.herald.operator.crd.v1alpha1.spec.ParentRefSpec;
import io.herald.operator.model.HttpRouteModel;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * A PushCluster's opt-in HTTPRoute against Fabric8's API server in CRUD mode, with the Gateway
 * API's kind served, and without it (the server answers 404, as an API server without its CRDs does).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class HttpRouteMockServerTest {

    private static final String HTTP_ROUTES = HttpRouteModel.GROUP + "/" + HttpRouteModel.PLURAL;

    @Inject
    KubernetesClient client;

    @KubernetesTestServer
    KubernetesServer server;

    @Test
    void aRoutedClusterGetsAnHttpRouteThatFollowsItsSpecAndGoesWithTheSection() throws InterruptedException {
        String ns = "routed";
        client.resource(TestClusters.redisSecret(ns)).create();
        PushCluster created = client.resource(routed(TestClusters.cluster(ns, "push"))).create();

        GenericKubernetesResource route = await().atMost(TIMEOUT).until(() -> route(ns), r -> r != null);
        assertEquals(created.getMetadata().getUid(), route.getMetadata().getOwnerReferences().get(0).getUid(),
                "deleting the cluster deletes its route");
        assertEquals(List.of("push.example.com"), spec(route).get("hostnames"));
        Map<?, ?> backend = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) spec(route).get("rules")).get(0))
                .get("backendRefs")).get(0);
        assertEquals("push-gateway", backend.get("name"));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition ready = routeReady(ns).orElseThrow(() -> new AssertionError("no RouteReady yet"));
            assertEquals("True", ready.status, ready.message);
            assertEquals("Routed", ready.reason);
        });
        String firstVersion = route(ns).getMetadata().getResourceVersion();

        edit(client, ns, PushCluster.class, "push", current -> {
            current.getSpec().httpRoute.hostnames = List.of("push.example.com", "ws.example.com");
            return current;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(List.of("push.example.com", "ws.example.com"),
                spec(route(ns)).get("hostnames")));
        String updatedVersion = route(ns).getMetadata().getResourceVersion();
        assertNotEquals(firstVersion, updatedVersion, "updated in place");

        edit(client, ns, PushCluster.class, "push", current -> {
            current.getSpec().httpRoute = null;
            return current;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertNull(route(ns), "removing the section removes the route");
            assertEquals(Optional.empty(), routeReady(ns), "and its condition");
        });
        assertEquals(Map.of(HTTP_ROUTES, OperatorAccess.inWatchedNamespaces().get(HTTP_ROUTES)),
                RecordedRequests.access(server, "/apis/" + HttpRouteModel.API_VERSION + "/namespaces/" + ns + "/"),
                "RBAC grants exactly the verbs of the calls: get, create, update, delete");
    }

    @Test
    void withoutTheGatewayApiTheClusterRunsAndSaysWhyItIsNotRouted() {
        String ns = "unrouted";
        TestClusters.kindNotInstalled(server.expect(), "/apis/" + HttpRouteModel.API_VERSION + "/namespaces/" + ns + "/"
                + HttpRouteModel.PLURAL);
        client.resource(TestClusters.redisSecret(ns)).create();
        client.resource(routed(TestClusters.cluster(ns, "push"))).create();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition ready = routeReady(ns).orElseThrow(() -> new AssertionError("no RouteReady yet"));
            assertEquals("False", ready.status);
            assertEquals("GatewayApiMissing", ready.reason);
            assertTrue(ready.message.contains("httproutes.gateway.networking.k8s.io"), ready.message);
        });
        assertNotNull(existing(client, ns, Deployment.class, "push-gateway"), "everything else reconciles");
        assertNotNull(existing(client, ns, Deployment.class, "push-router"));
        PushCluster cluster = client.resources(PushCluster.class).inNamespace(ns).withName("push").get();
        assertEquals("GatewaysNotReady", cluster.getStatus().condition(Condition.READY).orElseThrow().reason,
                "Ready follows the pods, not the route");

        edit(client, ns, PushCluster.class, "push", current -> {
            current.getSpec().httpRoute = null;
            return current;
        });
        await().atMost(TIMEOUT).until(() -> routeReady(ns).isEmpty());
    }

    private static PushCluster routed(PushCluster cluster) {
        HttpRouteSpec route = new HttpRouteSpec();
        ParentRefSpec gateway = new ParentRefSpec();
        gateway.name = "public";
        gateway.namespace = "infra";
        route.parentRefs = List.of(gateway);
        route.hostnames = List.of("push.example.com");
        cluster.getSpec().httpRoute = route;
        return cluster;
    }

    private Optional<Condition> routeReady(String ns) {
        PushCluster current = client.resources(PushCluster.class).inNamespace(ns).withName("push").get();
        return Optional.ofNullable(current.getStatus()).flatMap(status -> status.condition(Condition.ROUTE_READY));
    }

    private GenericKubernetesResource route(String ns) {
        return client.genericKubernetesResources(HttpRouteModel.definition()).inNamespace(ns).withName("push").get();
    }

    private static Map<?, ?> spec(GenericKubernetesResource resource) {
        return (Map<?, ?>) resource.getAdditionalProperties().get("spec");
    }
}
