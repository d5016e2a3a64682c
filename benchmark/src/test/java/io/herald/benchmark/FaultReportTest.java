package io.herald.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.herald.benchmark.FaultPublisher.Publication;
import io.herald.benchmark.FaultSubscriber.Delivery;
import io.herald.benchmark.FaultSubscriber.Observed;
import io.herald.benchmark.FaultSubscriber.Window;

class FaultReportTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long FAULT = 100 * SECOND;

    /** Publication {@code seq}, sent at {@code sentSecond} and answered 10 ms later with {@code status}. */
    private static Publication published(long seq, double sentSecond, int status) {
        long sent = (long) (sentSecond * SECOND);
        return new Publication(0, seq, sent, sent + 10_000_000L, status);
    }

    private static Delivery at(long seq, double second) {
        return new Delivery(seq, (long) (second * SECOND));
    }

    private static Window window(double from, double until) {
        return new Window((long) (from * SECOND), until == Double.MAX_VALUE ? Long.MAX_VALUE : (long) (until * SECOND));
    }

    private static FaultReport.ChannelFigures figures(List<Publication> published, Observed... subscribers) {
        return FaultReport.channel("c", published, List.of(subscribers), FAULT, new ArrayList<>());
    }

    @Test
    void aPublicationAcknowledgedWhileSubscribedAndNeverReceivedIsLost() {
        List<Publication> published = List.of(published(0, 99, 200), published(1, 99.5, 200), published(2, 101, 200));
        Observed subscriber = new Observed("s", List.of(at(0, 99.1), at(2, 101.1)), List.of(window(90, Double.MAX_VALUE)), 0);

        FaultReport.ChannelFigures figures = figures(published, subscriber);

        assertEquals(3, figures.acknowledged());
        assertEquals(1, figures.lost());
        assertEquals(0, figures.duplicated());
        assertEquals(0, figures.reordered());
    }

    @Test
    void whatWasPublishedBeforeASubscriptionOrRefusedIsNotOwed() {
        List<Publication> published = List.of(published(0, 99, 200), published(1, 100.5, 503), published(2, 102, 200));
        Observed reconnected = new Observed("s", List.of(at(2, 102.1)), List.of(window(101, Double.MAX_VALUE)), 0);

        FaultReport.ChannelFigures figures = figures(published, reconnected);

        assertEquals(0, figures.lost());
        assertEquals(1, figures.refused());
    }

    @Test
    void aPublicationAcknowledgedJustBeforeTheConnectionWasLostIsInFlightNotLost() {
        List<Publication> published = List.of(published(0, 99.5, 200), published(1, 97, 200));
        Observed cut = new Observed("s", List.of(), List.of(window(90, 100)), 0);

        FaultReport.ChannelFigures figures = figures(published, cut);

        assertEquals(1, figures.lost(), "the one acknowledged 3 s before the connection was lost was owed");
        assertEquals(1, figures.cutShort());
    }

    @Test
    void repeatsAndLateArrivalsAreCountedPerSubscriber() {
        List<Publication> published = List.of(published(0, 99, 200), published(1, 99.2, 200), published(2, 99.4, 200));
        Observed subscriber = new Observed("s", List.of(at(0, 99.1), at(2, 99.5), at(1, 99.6), at(2, 99.7)),
                List.of(window(90, Double.MAX_VALUE)), 0);

        FaultReport.ChannelFigures figures = figures(published, subscriber);

        assertEquals(1, figures.duplicated());
        assertEquals(1, figures.reordered());
        assertEquals(0, figures.lost());
    }

    @Test
    void silenceIsTheLongestGapAndNextDeliveryTheSlowestSubscriberToGetAPublicationSentAfterTheFault() {
        List<Publication> published = List.of(published(0, 98.9, 200), published(1, 100.2, 200), published(2, 100.6, 200));
        Observed fast = new Observed("a", List.of(at(0, 99), at(1, 100.5), at(2, 101)), List.of(window(90, Double.MAX_VALUE)), 1);
        Observed slow = new Observed("b", List.of(at(0, 99), at(1, 103)), List.of(window(90, Double.MAX_VALUE)), 0);

        FaultReport.ChannelFigures figures = figures(published, fast, slow);

        assertEquals(4000, figures.longestSilenceMillis());
        assertEquals(3000, figures.nextDeliveryMillis());
        assertEquals(1, figures.lossSignals());
    }

    @Test
    void whatWasSentBeforeTheFaultAndArrivesAfterItIsNoNextDelivery() {
        List<Publication> published = List.of(published(0, 99.9, 200));
        Observed stuck = new Observed("a", List.of(at(0, 100.3)), List.of(window(90, Double.MAX_VALUE)), 0);

        assertEquals(-1, figures(published, stuck).nextDeliveryMillis());
    }
}
