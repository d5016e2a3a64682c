package io.herald.gateway.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class SubscriptionCountChangesTest {

    private static final ChannelKey SMALL = new ChannelKey("1", "small");
    private static final ChannelKey LARGE = new ChannelKey("1", "large");

    @Test
    void changesOfOneChannelBetweenTwoFlushesGoOutOnce() {
        SubscriptionCountChanges changes = new SubscriptionCountChanges();
        changes.changed(SMALL, 1);
        changes.changed(SMALL, 2);
        changes.changed(SMALL, 3);
        assertEquals(List.of(SMALL), changes.dueAt(1_000));
        assertEquals(List.of(), changes.dueAt(1_100), "nothing changed since");
    }

    @Test
    void aChannelOfAtMostAHundredSubscribersIsAnnouncedAtEveryFlush() {
        SubscriptionCountChanges changes = new SubscriptionCountChanges();
        changes.changed(SMALL, 100);
        assertEquals(List.of(SMALL), changes.dueAt(1_000));
        changes.changed(SMALL, 99);
        assertEquals(List.of(SMALL), changes.dueAt(1_100));
    }

    @Test
    void aLargerChannelIsAnnouncedAtMostEveryFiveSecondsAndItsLastChangeIsNotLost() {
        SubscriptionCountChanges changes = new SubscriptionCountChanges();
        changes.changed(LARGE, 101);
        assertEquals(List.of(LARGE), changes.dueAt(1_000));
        changes.changed(LARGE, 102);
        changes.changed(LARGE, 150);
        assertEquals(List.of(), changes.dueAt(1_100));
        assertEquals(List.of(), changes.dueAt(5_999));
        assertEquals(List.of(LARGE), changes.dueAt(6_000), "the held-back change goes out when the throttle ends");
        assertEquals(List.of(), changes.dueAt(6_100));
    }

    @Test
    void aLargeChannelShrinkingUnderTheThrottleIsAnnouncedAtOnce() {
        SubscriptionCountChanges changes = new SubscriptionCountChanges();
        changes.changed(LARGE, 101);
        assertEquals(List.of(LARGE), changes.dueAt(1_000));
        changes.changed(LARGE, 100);
        assertEquals(List.of(LARGE), changes.dueAt(1_100));
    }
}
