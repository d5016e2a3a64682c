package io.herald.operator.status;

/** What became of a cluster's Prometheus Operator objects, reported as its MonitoringReady condition. */
public record MonitoringState(boolean ready, String reason, String message) {
}
