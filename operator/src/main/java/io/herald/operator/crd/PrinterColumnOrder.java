package io.herald.operator.crd;

import java.util.Comparator;
import java.util.List;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;

/**
 * Puts the CRDs' printer columns in the order kubectl users expect (state first, Age after the
 * counts, wide-only details last). The generator sorts them by JSON path, which puts Age first.
 * Runs at build time (quarkus.operator-sdk.crd.post-processor).
 */
public class PrinterColumnOrder implements CRDPostProcessor {

    static final List<String> ORDER = List.of("Cluster", "App ID", "Ready", "Warning", "Gateways", "Connections",
            "Routers", "Age", "Endpoint", "Reason");

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition definition) {
            definition.getSpec().getVersions().forEach(version -> {
                if (version.getAdditionalPrinterColumns() != null) {
                    version.getAdditionalPrinterColumns().sort(Comparator.comparingInt(PrinterColumnOrder::rank));
                }
            });
        }
        return crd;
    }

    private static int rank(CustomResourceColumnDefinition column) {
        int rank = ORDER.indexOf(column.getName());
        return rank < 0 ? ORDER.size() : rank;
    }
}
