package io.herald.operator.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class ScalingDecisionTest {

    private static final ScalingPolicy POLICY = new ScalingPolicy(2, 10, 1000, Duration.ofSeconds(300), Duration.ofSeconds(30));
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void recommendsCeilOfConnectionsOverTargetWithinBounds() {
        assertEquals(2, POLICY.recommend(0));
        assertEquals(2, POLICY.recommend(1500));
        assertEquals(3, POLICY.recommend(2001));
        assertEquals(10, POLICY.recommend(1_000_000));
    }

    @Test
    void scalesUpAtOnceToTheRecommendation() {
        ScaleHistory history = new ScaleHistory();
        ScalingDecision decision = ScalingDecision.decide(2, 7200, POLICY, history, T0);
        assertEquals(new ScalingDecision(8, "ScaledUp"), decision);
    }

    @Test
    void scalesDownOnlyAfterTheWholeWindowStayedLowThenOnePodPerDrainPeriod() {
        ScaleHistory history = new ScaleHistory();
        assertEquals(6, ScalingDecision.decide(6, 6000, POLICY, history, T0).replicas());
        assertEquals(new ScalingDecision(6, "Stabilizing"), ScalingDecision.decide(6, 100, POLICY, history, T0.plusSeconds(10)));
        assertEquals(6, ScalingDecision.decide(6, 100, POLICY, history, T0.plusSeconds(299)).replicas(),
                "the high recommendation at T0 is still inside the window");
        assertEquals(new ScalingDecision(5, "ScaledDown"), ScalingDecision.decide(6, 100, POLICY, history, T0.plusSeconds(311)));
        assertEquals(new ScalingDecision(5, "Draining"), ScalingDecision.decide(5, 100, POLICY, history, T0.plusSeconds(320)));
        assertEquals(new ScalingDecision(4, "ScaledDown"), ScalingDecision.decide(5, 100, POLICY, history, T0.plusSeconds(341)));
    }

    @Test
    void aBriefDipInsideTheWindowDoesNotScaleDown() {
        ScaleHistory history = new ScaleHistory();
        for (int second = 0; second <= 600; second += 10) {
            long connections = second % 100 == 0 ? 5500 : 100;
            assertEquals(6, ScalingDecision.decide(6, connections, POLICY, history, T0.plusSeconds(second)).replicas(),
                    "at second " + second);
        }
    }

    @Test
    void aFreshHistoryWaitsAWholeWindowBeforeScalingDown() {
        ScaleHistory history = new ScaleHistory();
        assertEquals(6, ScalingDecision.decide(6, 0, POLICY, history, T0).replicas());
        assertEquals(6, ScalingDecision.decide(6, 0, POLICY, history, T0.plusSeconds(299)).replicas());
        assertEquals(5, ScalingDecision.decide(6, 0, POLICY, history, T0.plusSeconds(300)).replicas());
    }

    @Test
    void neverLeavesTheBounds() {
        ScaleHistory history = new ScaleHistory();
        assertEquals(new ScalingDecision(10, "OutOfBounds"), ScalingDecision.decide(14, 100_000, POLICY, history, T0));
        assertEquals(new ScalingDecision(2, "OutOfBounds"), ScalingDecision.decide(1, 0, POLICY, history, T0));
        assertEquals(new ScalingDecision(2, "Steady"), ScalingDecision.decide(2, 0, POLICY, history, T0.plusSeconds(1000)));
    }
}
