package io.herald.recovery.pusher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Acknowledgements as they leave for Herald: coalesced to one per 250 ms for the latest position,
 * only for the user channel, only on a socket whose user channel subscription succeeded, and
 * kept for the next sign-in when they could not go out. Real timer and event threads.
 */
class DeviceAcksTest {

    private static final String USER = "#server-to-user-ann";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService eventThread = Executors.newSingleThreadExecutor();

    /** A socket's sending end: what went out on it, when, and whether it is still open. */
    private static final class Sent implements DeviceAcks.Link {

        final List<JsonObject> frames = new CopyOnWriteArrayList<>();
        final List<Long> atNanos = new CopyOnWriteArrayList<>();
        volatile boolean open = true;

        @Override
        public boolean sendAck(String frame) {
            if (!open) {
                return false;
            }
            frames.add(JsonParser.parseString(frame).getAsJsonObject());
            atNanos.add(System.nanoTime());
            return true;
        }

        List<Long> offsets() {
            return frames.stream().map(frame -> frame.getAsJsonObject("data").get("offset").getAsLong()).toList();
        }
    }

    @AfterEach
    void stopThreads() {
        timers.shutdownNow();
        eventThread.shutdownNow();
    }

    @Test
    void eventsArrivingTogetherAreAcknowledgedOnceForTheLatestAtMostOnceEvery250Milliseconds() throws Exception {
        DeviceAcks acks = acks(true);
        Sent socket = new Sent();
        acks.incoming(succeeded(USER), socket);

        acks.incoming(event(USER, 1), socket);
        await().atMost(TIMEOUT).until(() -> socket.frames.size() == 1);
        for (int offset = 2; offset <= 5; offset++) {
            acks.incoming(event(USER, offset), socket);
        }
        await().atMost(TIMEOUT).until(() -> socket.frames.size() == 2);
        drained();

        assertEquals(List.of(1L, 5L), socket.offsets());
        assertTrue(socket.atNanos.get(1) - socket.atNanos.get(0) >= TimeUnit.MILLISECONDS.toNanos(DeviceAcks.INTERVAL_MILLIS),
                "the second ack waited for the interval");
        JsonObject frame = socket.frames.get(1);
        assertEquals("herald:ack", frame.get("event").getAsString());
        assertEquals(USER, frame.getAsJsonObject("data").get("channel").getAsString());
        assertEquals("e1", frame.getAsJsonObject("data").get("epoch").getAsString());
    }

    @Test
    void aRecoveryFailureIsAcknowledgedAtTheChannelsCurrentPosition() {
        DeviceAcks acks = acks(true);
        Sent socket = new Sent();
        acks.incoming(succeeded(USER), socket);

        acks.incoming("{\"event\":\"herald:recovery_failed\",\"channel\":\"" + USER + "\",\"data\":\"{\\\"epoch\\\":\\\"e1\\\","
                + "\\\"offset\\\":40}\",\"herald\":{\"epoch\":\"e1\",\"offset\":40}}", socket);

        await().atMost(TIMEOUT).until(() -> socket.offsets().equals(List.of(40L)));
    }

    @Test
    void theSubscriptionItselfAndOtherChannelsAreNotAcknowledged() throws Exception {
        DeviceAcks acks = acks(true);
        Sent socket = new Sent();
        acks.incoming(succeeded(USER), socket);

        acks.incoming(event("news", 3), socket);
        acks.incoming("{\"event\":\"e\",\"channel\":\"news\",\"data\":\"" + USER + "\",\"herald\":{\"epoch\":\"e1\",\"offset\":4}}",
                socket);
        drained();

        assertEquals(List.of(), socket.frames);
    }

    @Test
    void acksWaitForTheUserChannelToBeSubscribedAndGoOutAfterTheNextSignIn() throws Exception {
        DeviceAcks acks = acks(true);
        Sent first = new Sent();
        acks.incoming(event(USER, 1), first);
        drained();
        assertEquals(List.of(), first.frames, "no ack before the user channel is subscribed");

        acks.incoming(succeeded(USER), first);
        await().atMost(TIMEOUT).until(() -> first.offsets().equals(List.of(1L)));

        first.open = false;
        acks.incoming(event(USER, 2), first);
        acks.closed(first);
        acks.incoming(event(USER, 3), first);
        drained();

        Sent second = new Sent();
        acks.incoming(succeeded(USER), second);
        await().atMost(TIMEOUT).until(() -> second.offsets().equals(List.of(3L)));
        assertEquals(List.of(1L), first.offsets());
    }

    @Test
    void withoutAutomaticAcksOnlyThePositionsTheAppAcknowledgesGoOut() throws Exception {
        DeviceAcks acks = acks(false);
        Sent socket = new Sent();
        acks.incoming(succeeded(USER), socket);
        acks.incoming(event(USER, 1), socket);
        acks.incoming(event(USER, 2), socket);
        drained();
        assertEquals(List.of(), socket.frames);

        acks.request(USER, new Position("e1", 1));

        await().atMost(TIMEOUT).until(() -> socket.offsets().equals(List.of(1L)));
    }

    @Test
    void anAckForAnotherUsersChannelWaitsRatherThanBeRefused() throws Exception {
        DeviceAcks acks = acks(false);
        Sent socket = new Sent();
        acks.incoming(succeeded(USER), socket);

        acks.request("#server-to-user-bob", new Position("e1", 1));
        drained();

        assertEquals(List.of(), socket.frames);
    }

    /**
     * Waits until every ack the helper could have scheduled by now has gone out: a marker
     * scheduled on the same single timer thread one interval later runs after any of them, and
     * then passes through the event thread, behind their hand-off. So "nothing was sent" is
     * checked after the fact, not after a guess at how long it takes.
     */
    private void drained() throws Exception {
        timers.schedule(() -> eventThread.submit(() -> { }).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                DeviceAcks.INTERVAL_MILLIS + 1, TimeUnit.MILLISECONDS).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private DeviceAcks acks(boolean automatic) {
        return new DeviceAcks(automatic, () -> timers, eventThread::execute);
    }

    private static String succeeded(String channel) {
        return "{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"" + channel
                + "\",\"data\":\"{}\",\"herald\":{\"epoch\":\"e1\",\"offset\":0,\"recovered\":true}}";
    }

    private static String event(String channel, long offset) {
        return "{\"event\":\"s\",\"channel\":\"" + channel + "\",\"data\":\"{\\\"n\\\":" + offset + "}\",\"herald\":{\"epoch\":\"e1\","
                + "\"offset\":" + offset + "}}";
    }
}
