package io.herald.operator.crd;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

/**
 * Kubernetes conventions the CRD generator has no annotation for, applied to the generated CRDs at
 * build time (quarkus.operator-sdk.crd.post-processor):
 * <ul>
 * <li>printer columns in the order kubectl users expect (state first, Age after the counts,
 * wide-only details last), where the generator sorts them by JSON path and puts Age first;</li>
 * <li>{@code status.conditions} as a list keyed by {@code type}, as metav1.Condition lists are, so
 * that server-side apply and {@code kubectl wait --for=condition=Ready} treat each condition as
 * one entry.</li>
 * </ul>
 */
public class CrdConventions implements CRDPostProcessor {

    static final List<String> COLUMN_ORDER = List.of("Cluster", "App ID", "Ready", "Warning", "Gateways", "Connections",
            "Routers", "Age", "Endpoint", "Reason");

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
            });
        }
        return crd;
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
