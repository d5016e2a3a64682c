package io.herald.operator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The operator's one way to report an API call whose failure must not fail a reconcile: the
 * pod deletion costs before a scale-down, the Events on a PushCluster. Such a call fails for a
 * reason someone must fix (most often an RBAC rule missing from a hand-made ClusterRole, or an
 * admission webhook refusing it), and a reconcile that goes on regardless leaves no other trace:
 * so each failure is a WARN naming the call and the API server's answer, and counts into
 * {@code herald_operator_api_call_failures_total} by call and HTTP status.
 */
@ApplicationScoped
public class BestEffortCalls {

    /** Calls, as the metric's {@code call} label names them. */
    public enum Call {
        POD_DELETION_COST("pod_deletion_cost"),
        EVENT("event");

        private final String label;

        Call(String label) {
            this.label = label;
        }
    }

    private static final Logger LOG = Logger.getLogger(BestEffortCalls.class);

    @Inject
    MeterRegistry registry;

    private final Map<String, Counter> failures = new ConcurrentHashMap<>();

    /** Reports a failed call; {@code what} says what it was for, in the log. */
    public void failed(Call call, String what, KubernetesClientException e) {
        String code = String.valueOf(e.getCode());
        failures.computeIfAbsent(call.label + "/" + code, key -> Counter.builder("herald.operator.api.call.failures")
                .tag("call", call.label).tag("code", code)
                .description("Kubernetes API calls that failed without failing the reconcile, by call and HTTP status (0: no answer)")
                .register(registry)).increment();
        LOG.warnf("Could not %s (HTTP %s): %s", what, code, e.getMessage());
    }
}
