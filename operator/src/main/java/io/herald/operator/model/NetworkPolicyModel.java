package io.herald.operator.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.herald.operator.crd.v1alpha1.spec.MonitoringSpec;
import io.herald.operator.crd.v1alpha1.spec.NetworkPolicySpec;

/**
 * What each tier's pods may send and receive. Gateways and routers talk to each other only through
 * Redis, so neither needs the other: gateways take WebSockets and REST calls on their HTTP port,
 * routers take nothing, and both reach DNS and the TCP ports of Redis, MongoDB and the API server
 * (their Leases). Kubelet probes come from the node, which NetworkPolicies do not restrict; Prometheus
 * does not, so the namespaces it scrapes from ({@code spec.monitoring.prometheusNamespaces}) reach
 * both tiers' HTTP port, where {@code /q/metrics} is served.
 */
public final class NetworkPolicyModel {

    private static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private NetworkPolicyModel() {
    }

    public static NetworkPolicy policy(ClusterNames names, Component component, NetworkPolicySpec spec,
            MonitoringSpec monitoring) {
        List<NetworkPolicyIngressRule> ingress = new ArrayList<>();
        if (component == Component.GATEWAY) {
            ingress.add(new NetworkPolicyIngressRuleBuilder().withFrom(namespaces(spec.ingressFromNamespaces))
                    .withPorts(port("TCP", PodTemplates.HTTP_PORT)).build());
        }
        List<String> prometheus = Optional.ofNullable(monitoring).map(m -> m.prometheusNamespaces).orElse(List.of());
        if (!prometheus.isEmpty()) {
            ingress.add(new NetworkPolicyIngressRuleBuilder().withFrom(namespaces(prometheus))
                    .withPorts(port("TCP", PodTemplates.HTTP_PORT)).build());
        }
        return new NetworkPolicyBuilder()
                .withNewMetadata().withName(names.serviceAccount(component)).withNamespace(names.namespace())
                    .withLabels(names.labels(component)).endMetadata()
                .withNewSpec()
                    .withNewPodSelector().withMatchLabels(names.selector(component)).endPodSelector()
                    .withPolicyTypes("Ingress", "Egress")
                    .withIngress(ingress)
                    .withEgress(egress(spec))
                .endSpec()
                .build();
    }

    /** An empty list of peers is any source, as NetworkPolicy reads it. */
    private static List<NetworkPolicyPeer> namespaces(List<String> names) {
        return Optional.ofNullable(names).orElse(List.of()).stream()
                .map(namespace -> new NetworkPolicyPeerBuilder().withNewNamespaceSelector()
                        .addToMatchLabels(NAMESPACE_NAME_LABEL, namespace).endNamespaceSelector().build())
                .toList();
    }

    private static List<NetworkPolicyEgressRule> egress(NetworkPolicySpec spec) {
        List<Integer> ports = Optional.ofNullable(spec.egressPorts).filter(list -> !list.isEmpty())
                .orElse(NetworkPolicySpec.DEFAULT_EGRESS_PORTS);
        List<NetworkPolicyPeer> destinations = Optional.ofNullable(spec.egressCidrs).orElse(List.of()).stream()
                .map(cidr -> new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(cidr).endIpBlock().build())
                .toList();
        List<NetworkPolicyPort> services = ports.stream().map(port -> port("TCP", port)).toList();
        return List.of(
                // DNS wherever the cluster runs it: the pods resolve the Redis and MongoDB host names.
                new NetworkPolicyEgressRuleBuilder().withPorts(port("UDP", 53), port("TCP", 53)).build(),
                new NetworkPolicyEgressRuleBuilder().withTo(destinations).withPorts(services).build());
    }

    private static NetworkPolicyPort port(String protocol, int port) {
        return new NetworkPolicyPortBuilder().withProtocol(protocol).withPort(new IntOrString(port)).build();
    }
}
