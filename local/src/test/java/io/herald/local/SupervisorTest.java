package io.herald.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SupervisorTest {

    @Test
    void theBackOffStartsAtOneSecondAndDoublesUpToTen() {
        Duration crashedAtOnce = Duration.ofMillis(500);
        Duration delay = Supervisor.delay(Optional.empty(), crashedAtOnce);
        assertEquals(Duration.ofSeconds(1), delay);
        delay = Supervisor.delay(Optional.of(delay), crashedAtOnce);
        assertEquals(Duration.ofSeconds(2), delay);
        delay = Supervisor.delay(Optional.of(delay), crashedAtOnce);
        delay = Supervisor.delay(Optional.of(delay), crashedAtOnce);
        assertEquals(Duration.ofSeconds(8), delay);
        assertEquals(Duration.ofSeconds(10), Supervisor.delay(Optional.of(delay), crashedAtOnce));
        assertEquals(Duration.ofSeconds(10), Supervisor.delay(Optional.of(Duration.ofSeconds(10)), crashedAtOnce));
    }

    @Test
    void aNodeThatRanForAWhileIsRestartedAfterOneSecondAgain() {
        assertEquals(Duration.ofSeconds(1), Supervisor.delay(Optional.of(Duration.ofSeconds(10)), Duration.ofSeconds(31)));
    }
}
