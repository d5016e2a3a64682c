package io.herald.operator.status;

/**
 * What became of a cluster's optional objects of kinds Kubernetes does not ship (the Prometheus
 * Operator's, the Gateway API's), reported as their condition: MonitoringReady, RouteReady.
 */
public record OptionalObjectsState(boolean ready, String reason, String message) {
}
