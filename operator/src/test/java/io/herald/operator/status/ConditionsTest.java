package io.herald.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.herald.operator.crd.v1alpha1.Condition;
import io.herald.operator.crd.v1alpha1.PushAppStatus;

class ConditionsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aConditionKeepsItsTransitionTimeUntilItsStatusChanges() {
        PushAppStatus first = status(new Conditions(null, 1, T0).ready(false, "Publishing", "waiting").warnings(List.of(), ""));
        PushAppStatus same = status(new Conditions(first, 2, T0.plusSeconds(30)).ready(false, "Invalid", "other").warnings(List.of(), ""));
        PushAppStatus flipped = status(new Conditions(same, 2, T0.plusSeconds(60)).ready(true, "Published", "ok")
                .warnings(List.of("a", "b"), "NeedsAttention"));

        assertEquals("2026-12-01T10:00:00Z", same.condition(Condition.READY).orElseThrow().lastTransitionTime);
        assertEquals(2L, same.condition(Condition.READY).orElseThrow().observedGeneration);
        assertEquals("2026-12-01T10:01:00Z", flipped.condition(Condition.READY).orElseThrow().lastTransitionTime);
        Condition warning = flipped.condition(Condition.WARNING).orElseThrow();
        assertEquals("True", warning.status);
        assertEquals("a; b", warning.message);
        assertEquals("2026-12-01T10:01:00Z", warning.lastTransitionTime);
    }

    private static PushAppStatus status(Conditions conditions) {
        PushAppStatus status = new PushAppStatus();
        status.conditions = conditions.build();
        return status;
    }
}
