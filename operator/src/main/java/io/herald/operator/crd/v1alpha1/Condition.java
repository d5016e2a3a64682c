package io.herald.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;

/** A status condition in the shape of Kubernetes' metav1.Condition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {

    public static final String READY = "Ready";
    public static final String WARNING = "Warning";
    /** Only on a PushCluster: True while its gateways or routers roll out the spec's generation. */
    public static final String PROGRESSING = "Progressing";
    /** Only with spec.mongodb: whether the routers keep the MongoDB archive up to date. */
    public static final String ARCHIVE_HEALTHY = "ArchiveHealthy";
    /** Only with spec.monitoring: whether its ServiceMonitor and PrometheusRule are in place. */
    public static final String MONITORING_READY = "MonitoringReady";
    /** Only with spec.httpRoute: whether its HTTPRoute is in place. */
    public static final String ROUTE_READY = "RouteReady";

    @Required
    @JsonPropertyDescription("Ready or Warning; on a PushCluster also Progressing, with spec.mongodb ArchiveHealthy, "
            + "with spec.monitoring MonitoringReady and with spec.httpRoute RouteReady.")
    public String type;

    @Required
    @JsonPropertyDescription("True, False or Unknown.")
    public String status;

    @JsonPropertyDescription("CamelCase reason for the condition's last transition.")
    public String reason;

    @JsonPropertyDescription("What is wrong or what is happening, for humans.")
    public String message;

    @JsonPropertyDescription("The metadata.generation this condition was computed from.")
    public Long observedGeneration;

    @JsonPropertyDescription("When status last changed.")
    public String lastTransitionTime;
}
