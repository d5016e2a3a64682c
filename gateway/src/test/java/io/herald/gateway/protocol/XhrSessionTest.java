package io.herald.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.ImmediateEventExecutor;

class XhrSessionTest {

    private static final long TIMEOUT = 120_000;

    private final List<Integer> closedWith = new ArrayList<>();
    private final XhrSession session = new XhrSession("key/1/abc", ImmediateEventExecutor.INSTANCE, closedWith::add, 0);

    /** What a receive request was answered, line by line, and whether it was ended. */
    private static final class Recorded implements XhrSession.Receiver {

        private final boolean streaming;
        final StringBuilder body = new StringBuilder();
        boolean ended;
        boolean aborted;

        Recorded(boolean streaming) {
            this.streaming = streaming;
        }

        @Override
        public boolean streaming() {
            return streaming;
        }

        @Override
        public void write(String lines) {
            assertFalse(ended, "written after its end");
            body.append(lines);
        }

        @Override
        public void end(String lines) {
            write(lines);
            ended = true;
        }

        @Override
        public boolean gone() {
            return aborted;
        }
    }

    private static ByteBuf frame(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    private void send(String... frames) {
        for (String text : frames) {
            session.queue(frame(text));
        }
        session.flush();
    }

    @Test
    void aStreamGetsTheOpenFrameThenEachFlushAsALineAndStaysOpen() {
        session.queue(frame("{\"event\":\"pusher:connection_established\"}"));
        Recorded stream = new Recorded(true);
        session.receive(stream, 0);
        send("{\"n\":1}", "{\"n\":2}");
        assertEquals("o\na[\"{\\\"event\\\":\\\"pusher:connection_established\\\"}\"]\na[\"{\\\"n\\\":1}\",\"{\\\"n\\\":2}\"]\n",
                stream.body.toString());
        assertFalse(stream.ended);
        assertEquals(0, session.queuedBytes());
    }

    @Test
    void aPollIsAnsweredWithWhatIsQueuedAndTheNextPollWithWhatCameMeanwhile() {
        Recorded first = new Recorded(false);
        session.receive(first, 0);
        assertEquals("o\n", first.body.toString());
        assertTrue(first.ended);

        send("{\"n\":1}");
        assertEquals(7, session.queuedBytes(), "kept while no poll is waiting");
        Recorded second = new Recorded(false);
        session.receive(second, 10);
        assertEquals("a[\"{\\\"n\\\":1}\"]\n", second.body.toString());
        assertTrue(second.ended);

        Recorded waiting = new Recorded(false);
        session.receive(waiting, 20);
        assertFalse(waiting.ended, "a poll with nothing to answer waits");
        send("{\"n\":2}");
        assertEquals("a[\"{\\\"n\\\":2}\"]\n", waiting.body.toString());
        assertTrue(waiting.ended);
    }

    @Test
    void aNewReceiveRequestTakesOverFromThePendingOneWithoutASecondOpenFrame() {
        Recorded old = new Recorded(true);
        session.receive(old, 0);
        Recorded next = new Recorded(true);
        session.receive(next, 10);
        assertTrue(old.ended);
        send("{\"n\":1}");
        assertEquals("o\n", old.body.toString());
        assertEquals("a[\"{\\\"n\\\":1}\"]\n", next.body.toString());
    }

    @Test
    void closingSendsWhatIsQueuedThenTheCloseLineAndEndsTheStreamOnce() {
        Recorded stream = new Recorded(true);
        session.receive(stream, 0);
        session.queue(frame("{\"event\":\"pusher:error\"}"));
        session.close(4200, "Gateway shutting down; reconnect");
        session.close(4201, "later");
        assertEquals("o\na[\"{\\\"event\\\":\\\"pusher:error\\\"}\"]\nc[4200,\"Gateway shutting down; reconnect\"]\n",
                stream.body.toString());
        assertTrue(stream.ended);
        assertEquals(List.of(4200), closedWith);
        assertEquals(XhrSession.Due.FORGET, session.check(1, TIMEOUT));
    }

    @Test
    void aSessionClosedBetweenTwoPollsKeepsItsCloseLineForTheNextPollForAWhile() {
        session.receive(new Recorded(false), 0);
        session.close(4200, "bye");
        assertEquals(XhrSession.Due.NOTHING, session.check(XhrSession.LINGER_MILLIS - 1, TIMEOUT));
        Recorded next = new Recorded(false);
        session.receive(next, 10);
        assertEquals("c[4200,\"bye\"]\n", next.body.toString());
        assertTrue(next.ended);
        assertEquals(XhrSession.Due.FORGET, session.check(20, TIMEOUT));

        XhrSession unfetched = new XhrSession("key/1/def", ImmediateEventExecutor.INSTANCE, code -> { }, 0);
        unfetched.close(4200, "bye");
        assertEquals(XhrSession.Due.FORGET, unfetched.check(System.currentTimeMillis() + XhrSession.LINGER_MILLIS, TIMEOUT));
    }

    @Test
    void aCloseIsUntoldUntilAReceiveRequestTakesIt() {
        session.receive(new Recorded(false), 0);
        assertFalse(session.closeUntold());
        session.close(4200, "bye");
        assertTrue(session.closeUntold(), "a draining gateway must wait for the next poll");
        session.receive(new Recorded(false), 10);
        assertFalse(session.closeUntold());

        XhrSession streamed = new XhrSession("key/1/ghi", ImmediateEventExecutor.INSTANCE, code -> { }, 0);
        streamed.receive(new Recorded(true), 0);
        streamed.close(4200, "bye");
        assertFalse(streamed.closeUntold(), "a waiting stream is told at once");
    }

    @Test
    void aWaitingRequestGetsAHeartbeatOnceNothingWasWrittenForTheHeartbeatPeriod() {
        Recorded stream = new Recorded(true);
        session.receive(stream, 0);
        assertEquals(XhrSession.Due.NOTHING, session.check(XhrSession.HEARTBEAT_MILLIS - 1, TIMEOUT));
        assertEquals("o\n", stream.body.toString());
        session.check(XhrSession.HEARTBEAT_MILLIS, TIMEOUT);
        assertEquals("o\nh\n", stream.body.toString());
        assertFalse(stream.ended);

        XhrSession polled = new XhrSession("key/1/def", ImmediateEventExecutor.INSTANCE, code -> { }, 0);
        polled.receive(new Recorded(false), 0);
        Recorded poll = new Recorded(false);
        polled.receive(poll, 100);
        polled.check(100 + XhrSession.HEARTBEAT_MILLIS, TIMEOUT);
        assertEquals("h\n", poll.body.toString());
        assertTrue(poll.ended, "a poll ends with its heartbeat, and the client polls again");
    }

    @Test
    void aSessionWithoutAReceiveRequestForTheTimeoutExpires() {
        Recorded stream = new Recorded(true);
        session.receive(stream, 0);
        stream.aborted = true;
        assertEquals(XhrSession.Due.NOTHING, session.check(1_000, TIMEOUT), "the aborted request is noticed here");
        assertEquals(XhrSession.Due.NOTHING, session.check(1_000 + TIMEOUT - 1, TIMEOUT));
        assertEquals(XhrSession.Due.EXPIRED, session.check(1_000 + TIMEOUT, TIMEOUT));

        Recorded back = new Recorded(true);
        session.receive(back, 1_000 + TIMEOUT);
        session.receiverGone(stream, 1_000 + TIMEOUT);
        assertEquals(XhrSession.Due.NOTHING, session.check(1_000 + 2 * TIMEOUT, TIMEOUT), "a stale abort does not detach the new request");
    }

    @Test
    void framesQueuedAfterTheCloseAreReleasedNotKept() {
        session.close(4009, "terminated");
        ByteBuf late = frame("{\"n\":1}");
        session.queue(late);
        assertEquals(0, late.refCnt());
        assertEquals(0, session.queuedBytes());
    }
}
