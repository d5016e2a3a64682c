package io.herald.operator.scaling;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts the operator's gateway scaling decisions by their reason, next to the reconcile metrics
 * the Operator SDK records itself, so a dashboard shows why replicas moved (or held) without
 * reading Kubernetes events. Reasons are the few {@link ScalingDecision} knows.
 */
@ApplicationScoped
public class ScalingMetrics {

    @Inject
    MeterRegistry registry;

    private final Map<String, Counter> decisions = new ConcurrentHashMap<>();

    public void decided(ScalingDecision decision) {
        decisions.computeIfAbsent(decision.reason(), reason -> Counter.builder("herald.operator.scaling.decisions")
                .tag("reason", reason).description("Gateway scaling decisions, by reason").register(registry)).increment();
    }
}
