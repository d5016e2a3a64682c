package io.herald.operator.crd.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Herald push cluster: gateways that hold the WebSockets and serve the REST API, routers that own
 * the channel shards, and the Redis they share. The platform team writes one; app teams add
 * {@link PushApp}s to it.
 */
@Group("herald.io")
@Version("v1alpha1")
@ShortNames("pushc")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Warning", jsonPath = ".status.conditions[?(@.type==\"Warning\")].status")
@AdditionalPrinterColumn(name = "Gateways", jsonPath = ".status.gateways.ready",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Connections", jsonPath = ".status.gateways.connections",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Routers", jsonPath = ".status.routers.ready",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Shards", jsonPath = ".status.routers.ownedShards",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".status.endpoint", priority = 1)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", priority = 1)
@ValidationRule(value = "self.metadata.name.size() <= 47 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
        message = "metadata.name must start with a letter, use lower-case letters, digits and '-', and have at most 47 "
                + "characters: it names the cluster's Services")
public class PushCluster extends CustomResource<PushClusterSpec, PushClusterStatus> implements Namespaced {
}
