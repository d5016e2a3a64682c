package io.herald.operator.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * One cluster's recent replica recommendations and its last scale-down: the memory the
 * stabilisation window needs. Kept in the operator's memory; after an operator restart the window
 * starts over, which can only delay a scale-down, never hasten one.
 */
public final class ScaleHistory {

    private record Recommendation(Instant at, int replicas) {
    }

    private final Deque<Recommendation> recent = new ArrayDeque<>();
    private Instant firstSeen;
    private Instant lastScaleDown;

    public synchronized void record(Instant now, int recommendation, Duration window) {
        if (firstSeen == null) {
            firstSeen = now;
        }
        recent.addLast(new Recommendation(now, recommendation));
        while (recent.size() > 1 && recent.peekFirst().at().isBefore(now.minus(window))) {
            recent.removeFirst();
        }
    }

    /** The highest recommendation within the window, empty until the window has been watched whole. */
    synchronized Optional<Integer> stableRecommendation(Instant now, Duration window) {
        if (firstSeen == null || firstSeen.plus(window).isAfter(now)) {
            return Optional.empty();
        }
        return recent.stream().filter(r -> !r.at().isBefore(now.minus(window)))
                .map(Recommendation::replicas).max(Integer::compare);
    }

    synchronized Optional<Instant> lastScaleDown() {
        return Optional.ofNullable(lastScaleDown);
    }

    synchronized void scaledDown(Instant now) {
        lastScaleDown = now;
    }
}
