package io.herald.gateway.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.streams.ClusterSettings;
import io.herald.streams.HistoryEvent;
import io.herald.streams.Position;
import io.herald.streams.RecoveryAnswer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Recovery answers completed from the hot history in Redis, as the router left it. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class MissedEventsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    MissedEvents missed;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @AfterEach
    void forgetHistory() {
        HistoryReads.forgetHot(redis, cluster.layout());
    }

    private static RecoveryAnswer answer(String channel, Position since, Position current) {
        return new RecoveryAnswer(HistoryReads.APP, channel, "1.1", since, current, true, List.of());
    }

    private List<RecoveryAnswer> read(RecoveryAnswer... answers) throws Exception {
        return missed.read(List.of(answers)).toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void theEventsAfterTheRequestedPositionComeInOrderUpToTheAnswersPositionAndNoFurther() throws Exception {
        HistoryReads.writeHot(redis, cluster.layout(), "chat", "e1", 1, 20);

        RecoveryAnswer answer = read(answer("chat", new Position("e1", 4), new Position("e1", 12))).get(0);

        assertTrue(answer.recovered());
        assertEquals(LongStream.rangeClosed(5, 12).boxed().toList(), answer.events().stream().map(HistoryEvent::offset).toList());
        assertEquals("event-5", answer.events().get(0).event());
        assertEquals("{\"n\":12}", answer.events().get(7).data());
    }

    @Test
    void eventsThatHistoryNoLongerHoldsOrAnotherEpochFailTheRecoveryAndEveryAnswerKeepsItsPlace() throws Exception {
        HistoryReads.writeHot(redis, cluster.layout(), "trimmed", "e1", 10, 20);
        HistoryReads.writeHot(redis, cluster.layout(), "renewed", "e2", 1, 20);
        HistoryReads.writeHot(redis, cluster.layout(), "kept", "e1", 1, 20);

        List<RecoveryAnswer> answers = read(answer("trimmed", new Position("e1", 4), new Position("e1", 20)),
                answer("renewed", new Position("e1", 4), new Position("e1", 20)),
                answer("kept", new Position("e1", 16), new Position("e1", 20)));

        assertFalse(answers.get(0).recovered(), "5 to 9 were trimmed");
        assertTrue(answers.get(0).events().isEmpty());
        assertFalse(answers.get(1).recovered(), "the history began anew in another epoch");
        assertEquals(List.of(17L, 18L, 19L, 20L), answers.get(2).events().stream().map(HistoryEvent::offset).toList());
        assertEquals(new Position("e1", 20), answers.get(2).current());
    }

    @Test
    void onlyAnswersWithAGapNeedARead() {
        assertTrue(MissedEvents.needsEvents(answer("c", new Position("e", 1), new Position("e", 2))));
        assertFalse(MissedEvents.needsEvents(answer("c", new Position("e", 2), new Position("e", 2))));
        assertFalse(MissedEvents.needsEvents(answer("c", null, new Position("e", 2))));
        assertFalse(MissedEvents.needsEvents(new RecoveryAnswer("1", "c", "1.1", new Position("x", 1), new Position("e", 2), false,
                List.of())));
    }
}
