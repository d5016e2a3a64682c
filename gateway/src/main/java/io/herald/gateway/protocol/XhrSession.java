package io.herald.gateway.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;

/**
 * One pusher-js HTTP session ({@code xhr_streaming} or {@code xhr_polling}): the frames its
 * connection was sent, queued until a receive request takes them. A streaming receive request
 * stays open and gets each flush as a line; a polling one is answered with what is queued (or
 * a heartbeat) and ends, and the client asks again. A new receive request takes over from a
 * pending one (pusher-js starts a new stream when its buffer grows long).
 *
 * <p>Everything here runs on the session's event loop, where {@link SocketWrites} also puts the
 * connection's writes; the HTTP requests of a session may come on other loops and hop to it.
 */
final class XhrSession {

    /** Where a receive request's answer goes. */
    interface Receiver {

        /** Whether it stays open for more lines (xhr_streaming) or ends with the first answer (xhr polling). */
        boolean streaming();

        void write(String lines);

        void end(String lines);

        /** Whether the request is over without this session ending it: its client aborted it or dropped the connection. */
        boolean gone();
    }

    /** What the periodic check found for the session. */
    enum Due {
        NOTHING,
        /** No receive request for longer than the timeout: the client is gone; close the connection. */
        EXPIRED,
        /** Closed, and the close was fetched or nobody came for it: drop the session. */
        FORGET
    }

    /** Heartbeats keep proxies from cutting an idle response and pusher-js from pinging. */
    static final long HEARTBEAT_MILLIS = 25_000;
    /** How long a closed session keeps its close frame for a client between two requests. */
    static final long LINGER_MILLIS = 30_000;

    private final String id;
    private final EventExecutor eventLoop;
    private final IntConsumer whenClosed;
    private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
    private long queuedBytes;
    private Receiver receiver;
    private boolean opened;
    private String closeFrame;
    /** Closed, and the close frame not yet taken by a receive request; read by the drain, on another thread. */
    private volatile boolean closeUntold;
    private long closedAtMillis;
    private long lastWriteMillis;
    private long receiverGoneAtMillis;

    /**
     * @param whenClosed told the close code once, when the session closes
     */
    XhrSession(String id, EventExecutor eventLoop, IntConsumer whenClosed, long nowMillis) {
        this.id = id;
        this.eventLoop = eventLoop;
        this.whenClosed = whenClosed;
        this.receiverGoneAtMillis = nowMillis;
    }

    String id() {
        return id;
    }

    EventExecutor eventLoop() {
        return eventLoop;
    }

    long queuedBytes() {
        return queuedBytes;
    }

    boolean isClosed() {
        return closeFrame != null;
    }

    /** Keeps a frame's bytes (released once sent) until a receive request takes them; returns their size. */
    int queue(ByteBuf frame) {
        int size = frame.readableBytes();
        if (closeFrame != null) {
            frame.release();
            return size;
        }
        queued.add(frame);
        queuedBytes += size;
        return size;
    }

    /** A receive request: it gets the open frame if it is the session's first, and what is queued. */
    void receive(Receiver next, long nowMillis) {
        if (receiver != null) {
            receiver.end("");
        }
        receiver = next;
        lastWriteMillis = nowMillis;
        String lines = takeLines();
        if (!opened) {
            opened = true;
            lines = XhrFrames.OPEN + lines;
        }
        send(lines, nowMillis);
    }

    /** The receive request went away (the client aborted it, or its connection dropped). */
    void receiverGone(Receiver gone, long nowMillis) {
        if (receiver == gone) {
            receiver = null;
            receiverGoneAtMillis = nowMillis;
        }
    }

    /** Hands what is queued to the pending receive request, if there is one. */
    void flush() {
        if (receiver != null) {
            send(takeLines(), System.currentTimeMillis());
        }
    }

    /**
     * Whether the session was closed and no receive request has taken its close frame yet: a
     * polling client between two requests learns of the close only with its next one.
     */
    boolean closeUntold() {
        return closeUntold;
    }

    /** Closes the session: a pending or the next receive request gets what is queued and the close frame. */
    void close(int code, String reason) {
        if (closeFrame != null) {
            return;
        }
        closeFrame = XhrFrames.close(code, reason);
        closeUntold = true;
        closedAtMillis = System.currentTimeMillis();
        flush();
        whenClosed.accept(code);
    }

    /** The periodic check: sends a heartbeat when one is due, and says whether the session expired or may go. */
    Due check(long nowMillis, long timeoutMillis) {
        if (closeFrame != null) {
            return closeFrame.isEmpty() || nowMillis - closedAtMillis >= LINGER_MILLIS ? Due.FORGET : Due.NOTHING;
        }
        if (receiver != null && receiver.gone()) {
            receiverGone(receiver, nowMillis);
        }
        if (receiver == null) {
            return nowMillis - receiverGoneAtMillis >= timeoutMillis ? Due.EXPIRED : Due.NOTHING;
        }
        if (nowMillis - lastWriteMillis >= HEARTBEAT_MILLIS) {
            send(XhrFrames.HEARTBEAT, nowMillis);
        }
        return Due.NOTHING;
    }

    /** Gives the queued frames back to the pool: the session is dropped. */
    void release() {
        queued.forEach(ByteBuf::release);
        queued.clear();
        queuedBytes = 0;
    }

    private String takeLines() {
        String lines = "";
        if (!queued.isEmpty()) {
            List<String> frames = new ArrayList<>(queued.size());
            for (ByteBuf frame; (frame = queued.poll()) != null;) {
                frames.add(frame.toString(StandardCharsets.UTF_8));
                frame.release();
            }
            queuedBytes = 0;
            lines = XhrFrames.messages(frames);
        }
        if (closeFrame != null && !closeFrame.isEmpty()) {
            lines += closeFrame;
            // Sent once; an empty close frame marks the session as told.
            closeFrame = "";
            closeUntold = false;
        }
        return lines;
    }

    private void send(String lines, long nowMillis) {
        boolean closing = closeFrame != null;
        if (lines.isEmpty() && !closing) {
            return;
        }
        lastWriteMillis = nowMillis;
        if (receiver.streaming() && !closing) {
            receiver.write(lines);
        } else {
            receiver.end(lines);
            receiver = null;
            receiverGoneAtMillis = nowMillis;
        }
    }
}
