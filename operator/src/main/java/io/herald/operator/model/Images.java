package io.herald.operator.model;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.herald.operator.crd.v1alpha1.spec.ImagesSpec;

/** The images a cluster's pods run: the spec's overrides over the operator's defaults. */
public record Images(String gateway, String router, String pullPolicy, List<LocalObjectReference> pullSecrets) {

    public static Images resolve(ImagesSpec overrides, String defaultGateway, String defaultRouter) {
        ImagesSpec spec = Optional.ofNullable(overrides).orElseGet(ImagesSpec::new);
        return new Images(nonBlank(spec.gateway).orElse(defaultGateway), nonBlank(spec.router).orElse(defaultRouter),
                spec.pullPolicy.name(), Optional.ofNullable(spec.pullSecrets).orElse(List.of()));
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
