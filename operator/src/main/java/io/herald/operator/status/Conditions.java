package io.herald.operator.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.herald.operator.crd.v1alpha1.Condition;
import io.herald.operator.crd.v1alpha1.HeraldStatus;

/**
 * Builds a resource's conditions. A condition keeps its lastTransitionTime
 * unless its status changed, so kubectl shows how long a state has lasted, not when the operator
 * last looked.
 */
public final class Conditions {

    private final HeraldStatus previous;
    private final long generation;
    private final Instant now;
    private final List<Condition> conditions = new ArrayList<>();

    public Conditions(HeraldStatus previous, long generation, Instant now) {
        this.previous = previous;
        this.generation = generation;
        this.now = now;
    }

    public Conditions ready(boolean ready, String reason, String message) {
        return add(Condition.READY, ready, reason, message);
    }

    /** Progressing: True while a rollout of the spec's generation is under way. */
    public Conditions progressing(boolean progressing, String reason, String message) {
        return add(Condition.PROGRESSING, progressing, reason, message);
    }

    /** Warning is True while there are messages; they are joined into one. */
    public Conditions warnings(List<String> messages, String reason) {
        return messages.isEmpty() ? add(Condition.WARNING, false, "NoWarnings", "")
                : add(Condition.WARNING, true, reason, String.join("; ", messages));
    }

    /** ArchiveHealthy: True, False or Unknown (no router has reported yet). */
    public Conditions archiveHealthy(String status, String reason, String message) {
        return add(Condition.ARCHIVE_HEALTHY, status, reason, message);
    }

    /**
     * MonitoringReady or RouteReady: whether the optional objects the spec asks for (ServiceMonitor
     * and PrometheusRule, HTTPRoute) are in place.
     */
    public Conditions optionalObjects(String type, OptionalObjectsState state) {
        return add(type, state.ready(), state.reason(), state.message());
    }

    /** The previous status's condition of this type, unchanged, when this reconcile did not look at it. */
    public Conditions keep(String type) {
        Optional.ofNullable(previous).flatMap(p -> p.condition(type)).ifPresent(conditions::add);
        return this;
    }

    public List<Condition> build() {
        return List.copyOf(conditions);
    }

    private Conditions add(String type, boolean status, String reason, String message) {
        return add(type, status ? "True" : "False", reason, message);
    }

    private Conditions add(String type, String status, String reason, String message) {
        Condition condition = new Condition();
        condition.type = type;
        condition.status = status;
        condition.reason = reason;
        condition.message = message;
        condition.observedGeneration = generation;
        condition.lastTransitionTime = Optional.ofNullable(previous).flatMap(p -> p.condition(type))
                .filter(old -> condition.status.equals(old.status) && old.lastTransitionTime != null)
                .map(old -> old.lastTransitionTime)
                .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
        conditions.add(condition);
        return this;
    }
}
