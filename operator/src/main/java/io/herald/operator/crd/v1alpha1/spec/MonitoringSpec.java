package io.herald.operator.crd.v1alpha1.spec;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Size;

/**
 * Prometheus Operator objects for one cluster, opt-in because their CRDs are not part of
 * Kubernetes: a cluster without the Prometheus Operator reconciles as before and says so in its
 * MonitoringReady condition. A section of its own, so that monitoring stays apart from the
 * cluster's other settings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MonitoringSpec {

    @JsonPropertyDescription("A ServiceMonitor that has Prometheus scrape /q/metrics of every gateway and router pod, "
            + "through the headless Service <cluster>-metrics.")
    public ServiceMonitorSpec serviceMonitor;

    @JsonPropertyDescription("A PrometheusRule with Herald's alerts, limited to this cluster's series.")
    public PrometheusRuleSpec prometheusRule;

    @JsonPropertyDescription("Namespaces Prometheus scrapes from. With spec.networkPolicy, the gateways and routers "
            + "accept their HTTP port (which serves /q/metrics) from these namespaces as well; without it they are "
            + "not needed.")
    @Size(max = 32)
    public List<String> prometheusNamespaces;
}
