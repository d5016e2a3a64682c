package io.herald.operator.cluster;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.herald.operator.BestEffortCalls;
import io.herald.operator.scaling.ScalingDecision;

/**
 * Kubernetes Events on a PushCluster for what an operator wants to see in `kubectl describe`:
 * scaling steps and specs the operator refused. Recording is best effort: a lost Event never fails
 * a reconcile, and is reported ({@link BestEffortCalls}).
 */
@ApplicationScoped
public class ClusterEvents {

    @Inject
    KubernetesClient client;

    @Inject
    BestEffortCalls calls;

    void scaled(HasMetadata cluster, int from, ScalingDecision decision, long connections) {
        record(cluster, "Normal", decision.reason(), "Gateways " + from + " -> " + decision.replicas() + " for "
                + connections + " connections");
    }

    void invalidSpec(HasMetadata cluster, List<String> errors) {
        record(cluster, "Warning", "InvalidSpec", String.join("; ", errors));
    }

    private void record(HasMetadata about, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(about.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                        .withNamespace(about.getMetadata().getNamespace()).endMetadata()
                    .withNewInvolvedObject().withApiVersion(about.getApiVersion()).withKind(about.getKind())
                        .withName(about.getMetadata().getName()).withNamespace(about.getMetadata().getNamespace())
                        .withUid(about.getMetadata().getUid()).endInvolvedObject()
                    .withType(type).withReason(reason).withMessage(message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent("herald-operator").endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            calls.failed(BestEffortCalls.Call.EVENT, "record event " + reason + " on " + about.getKind() + " "
                    + about.getMetadata().getNamespace() + "/" + about.getMetadata().getName(), e);
        }
    }
}
