package io.herald.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

final class PodDisruptionBudgets {

    private PodDisruptionBudgets() {
    }

    /** Node drains take one pod of a component at a time, like the operator's own scale-downs. */
    static PodDisruptionBudget oneAtATime(ClusterNames names, String name, Component component) {
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName(name).withNamespace(names.namespace())
                    .withLabels(names.labels(component)).endMetadata()
                .withNewSpec()
                    .withMaxUnavailable(new IntOrString(1))
                    .withNewSelector().withMatchLabels(names.selector(component)).endSelector()
                .endSpec()
                .build();
    }
}
