package io.herald.operator;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Operator SDK's reconcile metrics ({@code operator_sdk_reconciliations_*}), made from the
 * application's registry when the operator is configured. The extension's own producer hands out
 * what its {@code MeterBinder} holds at that moment, which is a no-op until Micrometer has bound
 * it: an operator configured first counted nothing for its whole life, depending on start-up
 * order (seen as a failure of {@code OperatorMetricsTest} in one CI run of many).
 */
@Singleton
public class ReconcileMetrics {

    @Produces
    @Singleton
    Metrics reconcileMetrics(MeterRegistry registry) {
        return MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build();
    }
}
