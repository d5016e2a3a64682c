package io.herald.operator.model;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.herald.contract.AppsSecret;
import io.herald.operator.apps.PublishedApp;
import io.herald.operator.cluster.WatchedSecrets;

/** The Secret gateways watch for their apps; rewritten whenever a PushApp changes. */
public final class AppsSecretModel {

    private AppsSecretModel() {
    }

    public static Secret secret(ClusterNames names, List<PublishedApp> apps) {
        String json = Serialization.asJson(apps);
        return new SecretBuilder()
                .withNewMetadata().withName(names.appsSecret()).withNamespace(names.namespace())
                    .withLabels(names.labels(Component.GATEWAY))
                    // So the PushApps' informer on watched Secrets holds it: each app's Ready says whether it is in it.
                    .addToLabels(WatchedSecrets.LABEL, "true").endMetadata()
                .withType("Opaque")
                .withData(Map.of(AppsSecret.KEY, Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))))
                .build();
    }
}
