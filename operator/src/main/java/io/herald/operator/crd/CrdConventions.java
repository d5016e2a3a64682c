package io.herald.operator.crd;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.herald.contract.WebhookEventTypes;

/**
 * Kubernetes conventions the CRD generator has no annotation for, applied to the generated CRDs at
 * build time (quarkus.operator-sdk.crd.post-processor):
 * <ul>
 * <li>printer columns in the order kubectl users expect (state first, Age after the counts,
 * wide-only details last), where the generator sorts them by JSON path and puts Age first;</li>
 * <li>{@code status.conditions} as a list keyed by {@code type}, as metav1.Condition lists are, so
 * that server-side apply and {@code kubectl wait --for=condition=Ready} treat each condition as
 * one entry;</li>
 * <li>formats of list items (namespace names, CIDRs, ports, webhook event types, host names), which Java
 * annotations cannot reach: as schema constraints, which cost the API server nothing, unlike CEL
 * over a list of strings.</li>
 * </ul>
 */
public class CrdConventions implements CRDPostProcessor {

    static final List<String> COLUMN_ORDER = List.of("Cluster", "App ID", "Ready", "Warning", "Gateways", "Connections",
            "Routers", "Shards", "Age", "Endpoint", "Reason");

    /** In a path, the items of the list before it. */
    static final String ITEMS = "[]";

    /** Path below spec, to what each item of that list must be. */
    static final Map<List<String>, Consumer<JSONSchemaProps>> LIST_ITEMS = Map.of(
            List.of("networkPolicy", "ingressFromNamespaces"), CrdConventions::namespaceName,
            List.of("monitoring", "prometheusNamespaces"), CrdConventions::namespaceName,
            List.of("networkPolicy", "egressCidrs"), item -> {
                item.setPattern("^[0-9a-fA-F:.]+/[0-9]{1,3}$");
                item.setMaxLength(43L);
            },
            List.of("networkPolicy", "egressPorts"), item -> {
                item.setMinimum(1.0);
                item.setMaximum(65535.0);
            },
            List.of("tenancy", "allowedNamespaces"), CrdConventions::namespaceName,
            // The Gateway API's own Hostname: a DNS name, optionally with one leading wildcard label.
            List.of("httpRoute", "hostnames"), item -> {
                item.setPattern("^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
                item.setMaxLength(253L);
            },
            List.of("webhooks", ITEMS, "eventTypes"), item -> {
                item.setEnum(WebhookEventTypes.ALL.stream().map(type -> (JsonNode) TextNode.valueOf(type)).toList());
                item.setMaxLength((long) WebhookEventTypes.ALL.stream().mapToInt(String::length).max().orElseThrow());
            });

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition definition) {
            definition.getSpec().getVersions().forEach(version -> {
                if (version.getAdditionalPrinterColumns() != null) {
                    version.getAdditionalPrinterColumns().sort(Comparator.comparingInt(CrdConventions::rank));
                }
                Optional.ofNullable(version.getSchema()).map(schema -> schema.getOpenAPIV3Schema())
                        .map(root -> root.getProperties().get("status"))
                        .map(status -> status.getProperties().get("conditions"))
                        .ifPresent(CrdConventions::keyByType);
                Optional.ofNullable(version.getSchema()).map(schema -> schema.getOpenAPIV3Schema())
                        .map(root -> root.getProperties().get("spec"))
                        .ifPresent(spec -> LIST_ITEMS.forEach((path, constrain) -> listItems(spec, path).ifPresent(constrain)));
            });
        }
        return crd;
    }

    private static Optional<JSONSchemaProps> listItems(JSONSchemaProps spec, List<String> path) {
        Optional<JSONSchemaProps> field = Optional.of(spec);
        for (String name : path) {
            field = ITEMS.equals(name) ? field.map(list -> list.getItems()).map(items -> items.getSchema())
                    : field.map(JSONSchemaProps::getProperties).map(properties -> properties.get(name));
        }
        return field.map(list -> list.getItems()).map(items -> items.getSchema());
    }

    private static void namespaceName(JSONSchemaProps item) {
        item.setPattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
        item.setMaxLength(63L);
    }

    private static void keyByType(JSONSchemaProps conditions) {
        conditions.setXKubernetesListType("map");
        conditions.setXKubernetesListMapKeys(List.of("type"));
    }

    private static int rank(CustomResourceColumnDefinition column) {
        int rank = COLUMN_ORDER.indexOf(column.getName());
        return rank < 0 ? COLUMN_ORDER.size() : rank;
    }
}
