package io.herald.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;

/** What a user of the committed CRDs relies on: columns, subresources and admission rules. */
class CrdStructureTest {

    /**
     * Short names kubectl already resolves: Kubernetes 1.30's own ({@code kubectl api-resources}),
     * then those of add-ons common enough to share a cluster with Herald (cert-manager, Prometheus
     * operator, Argo CD, Argo Workflows and Rollouts, Istio, Knative, KEDA, Flux, Kyverno, Cilium,
     * Gateway API, Crossplane, Strimzi, External Secrets, Tekton). kubectl picks one of two
     * resources with the same short name, so ours must be none of these.
     */
    private static final Set<String> TAKEN_SHORT_NAMES = Set.of(
            "cs", "cm", "ep", "ev", "limits", "ns", "no", "pvc", "pv", "po", "rc", "quota", "sa", "svc", "crd", "crds",
            "ds", "deploy", "rs", "sts", "hpa", "cj", "csr", "ing", "netpol", "pdb", "pc", "sc", "psp", "vac",
            "cert", "certs", "cr", "crs",
            "prom", "smon", "pmon", "promrule", "am", "amcfg", "prb", "ruler", "scfg",
            "app", "apps", "appproj", "appprojs", "appset", "appsets",
            "wf", "cwf", "cwft", "wftmpl", "cronwf", "ro",
            "vs", "gw", "dr", "se", "pa", "ra", "ap", "we", "wg",
            "ksvc", "kcfg", "rt", "rev",
            "so", "sj", "ta", "cta",
            "hr", "ks", "gitrepo", "ocirepo", "helmrepo", "helmchart",
            "cpol", "pol", "polr", "cpolr",
            "cnp", "ccnp", "cep",
            "gtw", "gc",
            "xrd", "comp",
            "k", "kt", "ku",
            "es", "ss", "css",
            "pr", "tr", "p", "t");

    @Test
    void shortNamesAreNoneThatKubectlAlreadyResolves() throws IOException {
        List<String> ours = new ArrayList<>();
        for (String crd : List.of("pushclusters.herald.io-v1.yml", "pushapps.herald.io-v1.yml")) {
            ours.addAll(definition(crd).getSpec().getNames().getShortNames());
        }
        assertEquals(List.of("pushc", "pusha"), ours);
        assertEquals(List.of(), ours.stream().filter(TAKEN_SHORT_NAMES::contains).toList());
    }

    @Test
    void pushClustersShowStateFirstAndScaleTheGatewayTier() throws IOException {
        CustomResourceDefinitionVersion version = version("pushclusters.herald.io-v1.yml");
        assertEquals(List.of("Ready", "Warning", "Gateways", "Connections", "Routers", "Shards", "Age", "Endpoint", "Reason"),
                version.getAdditionalPrinterColumns().stream().map(CustomResourceColumnDefinition::getName).toList());
        assertEquals(".status.routers.ownedShards", version.getAdditionalPrinterColumns().get(5).getJsonPath());
        assertEquals(List.of(0, 0, 0, 0, 0, 0, 0, 1, 1),
                version.getAdditionalPrinterColumns().stream().map(CustomResourceColumnDefinition::getPriority).toList());
        var scale = version.getSubresources().getScale();
        assertEquals(".spec.gateway.replicas", scale.getSpecReplicasPath());
        assertEquals(".status.gateways.desired", scale.getStatusReplicasPath());
        assertEquals(".status.gateways.selector", scale.getLabelSelectorPath());
        assertTrue(version.getSubresources().getStatus() != null);

        assertTrue(version.getSchema().getOpenAPIV3Schema().getXKubernetesValidations().get(0).getRule()
                .startsWith("self.metadata.name.size() <= 47"), "names that cannot name a Service are refused");
        JSONSchemaProps spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        assertEquals(List.of("redis"), spec.getRequired());
        JSONSchemaProps gateway = spec.getProperties().get("gateway");
        assertEquals(List.of("self.minReplicas <= self.maxReplicas",
                "!has(self.replicas) || (self.replicas >= self.minReplicas && self.replicas <= self.maxReplicas)",
                "!has(self.maxConnectionsPerPod) || self.maxConnectionsPerPod >= self.targetConnectionsPerPod"),
                gateway.getXKubernetesValidations().stream().map(ValidationRule::getRule).toList());
        JSONSchemaProps shards = spec.getProperties().get("router").getProperties().get("shards");
        assertEquals("self == oldSelf", shards.getXKubernetesValidations().get(0).getRule());
        assertEquals(1.0, shards.getMinimum());
        assertEquals(16384.0, shards.getMaximum());
        assertEquals(List.of("Connections", "External"), gateway.getProperties().get("scaling").getEnum().stream()
                .map(node -> node.asText()).toList());
    }

    @Test
    void pushAppLimitsAreZeroOrMoreAndDefaultToZero() throws IOException {
        JSONSchemaProps limits = version("pushapps.herald.io-v1.yml").getSchema().getOpenAPIV3Schema().getProperties()
                .get("spec").getProperties().get("limits");
        assertEquals(List.of("maxChannelsPerConnection", "maxConnections", "subscribesPerSecond"),
                limits.getProperties().keySet().stream().sorted().toList());
        limits.getProperties().forEach((name, limit) -> {
            assertEquals("integer", limit.getType(), name);
            assertEquals(0.0, limit.getMinimum(), name);
            assertEquals(0, limit.getDefault().asInt(), name);
        });
    }

    /** Schema constraints on each item, checked by the API server at no CEL cost; the lists are bounded. */
    @Test
    void networkPolicyListsHoldOnlyNamespaceNamesCidrsAndPorts() throws IOException {
        Map<String, JSONSchemaProps> fields = version("pushclusters.herald.io-v1.yml").getSchema().getOpenAPIV3Schema()
                .getProperties().get("spec").getProperties().get("networkPolicy").getProperties();
        fields.forEach((name, field) -> assertEquals(32L, field.getMaxItems(), name));

        JSONSchemaProps namespace = fields.get("ingressFromNamespaces").getItems().getSchema();
        assertEquals(63L, namespace.getMaxLength());
        assertTrue(Pattern.matches(namespace.getPattern(), "ingress-nginx"));
        assertFalse(Pattern.matches(namespace.getPattern(), "Ingress_Nginx"));
        JSONSchemaProps cidr = fields.get("egressCidrs").getItems().getSchema();
        assertTrue(Pattern.matches(cidr.getPattern(), "10.0.0.0/8"));
        assertTrue(Pattern.matches(cidr.getPattern(), "fd00::/8"));
        assertFalse(Pattern.matches(cidr.getPattern(), "redis.example.com"));
        JSONSchemaProps port = fields.get("egressPorts").getItems().getSchema();
        assertEquals(1.0, port.getMinimum());
        assertEquals(65535.0, port.getMaximum());
    }

    /** The Gateway API's own bounds and Hostname format, so that no route the schema admits is refused when written. */
    @Test
    void httpRouteHostnamesAreDnsNamesWithAnOptionalWildcardAndTheListsAreTheRoutesBounds() throws IOException {
        Map<String, JSONSchemaProps> fields = version("pushclusters.herald.io-v1.yml").getSchema().getOpenAPIV3Schema()
                .getProperties().get("spec").getProperties().get("httpRoute").getProperties();
        assertEquals(32L, fields.get("parentRefs").getMaxItems());
        assertEquals(1L, fields.get("parentRefs").getMinItems());
        assertEquals(16L, fields.get("hostnames").getMaxItems());

        JSONSchemaProps hostname = fields.get("hostnames").getItems().getSchema();
        assertEquals(253L, hostname.getMaxLength());
        for (String valid : List.of("push.example.com", "*.example.com", "localhost", "push-1.eu.example.com")) {
            assertTrue(Pattern.matches(hostname.getPattern(), valid), valid);
        }
        for (String invalid : List.of("Push.example.com", "push.example.com.", "*", "a.*.example.com", "push_1.example.com",
                "https://push.example.com", "push.example.com:443", "-push.example.com")) {
            assertFalse(Pattern.matches(hostname.getPattern(), invalid), invalid);
        }
        JSONSchemaProps parent = fields.get("parentRefs").getItems().getSchema();
        assertEquals(List.of("name"), parent.getRequired());
        assertTrue(Pattern.matches(parent.getProperties().get("sectionName").getPattern(), "https"));
        assertFalse(Pattern.matches(parent.getProperties().get("namespace").getPattern(), "Infra"));
    }

    @Test
    void webhookEventTypesArePushersNamesAndWebhooksAreBounded() throws IOException {
        JSONSchemaProps webhooks = version("pushapps.herald.io-v1.yml").getSchema().getOpenAPIV3Schema().getProperties()
                .get("spec").getProperties().get("webhooks");
        assertEquals(10L, webhooks.getMaxItems());
        JSONSchemaProps eventTypes = webhooks.getItems().getSchema().getProperties().get("eventTypes");
        assertEquals(7L, eventTypes.getMaxItems());
        assertEquals(List.of("channel_occupied", "channel_vacated", "member_added", "member_removed", "client_event",
                "cache_miss", "subscription_count"), eventTypes.getItems().getSchema().getEnum().stream().map(JsonNode::asText).toList());
        assertEquals(18L, eventTypes.getItems().getSchema().getMaxLength());
    }

    @Test
    void conditionsAreAListKeyedByType() throws IOException {
        for (String crd : List.of("pushclusters.herald.io-v1.yml", "pushapps.herald.io-v1.yml")) {
            JSONSchemaProps conditions = version(crd).getSchema().getOpenAPIV3Schema().getProperties().get("status")
                    .getProperties().get("conditions");
            assertEquals("map", conditions.getXKubernetesListType(), crd);
            assertEquals(List.of("type"), conditions.getXKubernetesListMapKeys(), crd);
            assertEquals(List.of("status", "type"), conditions.getItems().getSchema().getRequired().stream().sorted().toList(),
                    crd + ": a map key must be required");
        }
    }

    @Test
    void everySpecFieldIsDescribed() throws IOException {
        for (String crd : List.of("pushclusters.herald.io-v1.yml", "pushapps.herald.io-v1.yml")) {
            JSONSchemaProps root = version(crd).getSchema().getOpenAPIV3Schema();
            assertDescribed(crd + " spec", root.getProperties().get("spec"), true);
            assertDescribed(crd + " status", root.getProperties().get("status"), true);
        }
    }

    /** Our own fields must say what they do; Kubernetes types (resources, affinity...) bring theirs. */
    private static void assertDescribed(String path, JSONSchemaProps schema, boolean ours) {
        if (schema.getProperties() == null) {
            return;
        }
        schema.getProperties().forEach((name, child) -> {
            String where = path + "." + name;
            if (ours) {
                assertTrue(child.getDescription() != null && !child.getDescription().isBlank(), where + " has no description");
            }
            boolean kubernetesType = List.of("resources", "affinity", "tolerations", "topologySpreadConstraints",
                    "pullSecrets").contains(name);
            assertDescribed(where, child.getItems() != null && child.getItems().getSchema() != null
                    ? child.getItems().getSchema() : child, ours && !kubernetesType);
        });
    }

    private static CustomResourceDefinitionVersion version(String file) throws IOException {
        return definition(file).getSpec().getVersions().get(0);
    }

    private static CustomResourceDefinition definition(String file) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("../crds", file))) {
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        }
    }
}
