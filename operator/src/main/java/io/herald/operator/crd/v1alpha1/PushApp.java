package io.herald.operator.crd.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One tenant of a {@link PushCluster}: the Pusher app id, key and secret its clients and backends
 * use, and what the app may do. Applying it makes the app usable on every gateway of the cluster;
 * deleting it disconnects the app's clients.
 */
@Group("herald.io")
@Version("v1alpha1")
@ShortNames("pusha")
@AdditionalPrinterColumn(name = "Cluster", jsonPath = ".spec.cluster")
@AdditionalPrinterColumn(name = "App ID", jsonPath = ".spec.appId")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", priority = 1)
public class PushApp extends CustomResource<PushAppSpec, PushAppStatus> implements Namespaced {
}
