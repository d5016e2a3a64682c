package io.herald.gateway.protocol;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;

/**
 * Hands work for sockets (frames to write, a close after them) to each socket's own event loop,
 * where Netty wants it, with as few cross-thread tasks as possible.
 *
 * <p>While a thread has a batch open ({@link #batched}; the inbox reader opens one per inbox
 * batch), its work is grouped by event loop and each loop gets one task for all of it, which
 * flushes each socket once at the end: a publication to 1,000 sockets on 2 event loops is 2
 * tasks and at most 1,000 flushes, not 1,000 tasks, futures and {@code Uni}s. Outside a batch,
 * work done on the socket's event loop runs at once and work from another thread is one task.
 * Either way, what one thread sends to one socket arrives in the order it was sent.
 */
public final class SocketWrites {

    private static final ThreadLocal<Batch> OPEN = new ThreadLocal<>();

    private SocketWrites() {
    }

    /**
     * Runs the work with a batch open on this thread, hands each event loop its part, and runs
     * {@code whenWritten} once every loop has written its part: the inbox reader reads its next
     * batch only then, so a gateway that cannot write as fast as deliveries come keeps the backlog
     * in its inbox stream, where its lag shows, not as tasks in its heap.
     */
    public static void batched(Runnable work, Runnable whenWritten) {
        if (OPEN.get() != null) {
            throw new IllegalStateException("A batch of socket writes is already open on this thread");
        }
        Batch batch = new Batch();
        OPEN.set(batch);
        try {
            work.run();
        } finally {
            OPEN.remove();
            batch.submit(whenWritten);
        }
    }

    /** Queues the item (a frame's bytes or an action) for the connection, on its event loop. */
    static void enqueue(PusherConnection to, Object item) {
        EventExecutor loop = to.eventLoop();
        Batch batch = OPEN.get();
        if (batch != null) {
            batch.add(loop, to, item);
        } else if (loop.inEventLoop()) {
            writeNow(to, item);
        } else {
            loop.execute(() -> writeNow(to, item));
        }
    }

    private static void writeNow(PusherConnection to, Object item) {
        int bytes = to.handle(item);
        to.flush();
        if (bytes >= 0) {
            to.metrics().written(1, bytes);
        }
    }

    /** One thread's work for the sockets of several event loops. */
    private static final class Batch {

        private final Map<EventExecutor, LoopWork> byLoop = new IdentityHashMap<>(4);

        void add(EventExecutor loop, PusherConnection to, Object item) {
            byLoop.computeIfAbsent(loop, LoopWork::new).add(to, item);
        }

        void submit(Runnable whenWritten) {
            if (byLoop.isEmpty()) {
                whenWritten.run();
                return;
            }
            AtomicInteger unwritten = new AtomicInteger(byLoop.size());
            Runnable countDown = () -> {
                if (unwritten.decrementAndGet() == 0) {
                    whenWritten.run();
                }
            };
            byLoop.forEach((loop, work) -> {
                work.whenDone = countDown;
                if (loop.inEventLoop()) {
                    work.run();
                } else {
                    try {
                        loop.execute(work);
                    } catch (RejectedExecutionException stopping) {
                        work.release();
                        countDown.run();
                    }
                }
            });
        }
    }

    /**
     * The work for one event loop, in the order it was queued: two arrays rather than an object per
     * item. It is written in slices of {@link #SLICE} items, each flushed at its end; between two
     * slices the loop serves its sockets' input, so that a publication to thousands of sockets does
     * not hold up the REST requests and client frames that arrived meanwhile.
     */
    private static final class LoopWork implements Runnable {

        /** About 10 ms of writes on a loaded core: far more than one inbox batch holds in fan-in. */
        private static final int SLICE = 1024;

        private final EventExecutor loop;
        private PusherConnection[] to = new PusherConnection[16];
        private Object[] items = new Object[16];
        private int size;
        /** The first item not written yet. */
        private int next;
        private Runnable whenDone;

        LoopWork(EventExecutor loop) {
            this.loop = loop;
        }

        void add(PusherConnection connection, Object item) {
            if (size == to.length) {
                to = Arrays.copyOf(to, size * 2);
                items = Arrays.copyOf(items, size * 2);
            }
            to[size] = connection;
            items[size] = item;
            size++;
        }

        @Override
        public void run() {
            int end = Math.min(size, next + SLICE);
            try {
                int frames = 0;
                long bytes = 0;
                for (int i = next; i < end; i++) {
                    int written = to[i].handle(items[i]);
                    if (written >= 0) {
                        frames++;
                        bytes += written;
                    }
                }
                for (int i = next; i < end; i++) {
                    to[i].flush();
                }
                if (frames > 0) {
                    to[0].metrics().written(frames, bytes);
                }
            } finally {
                next = end;
                continueOrFinish();
            }
        }

        /**
         * Schedules the next slice, or reports the work done. A scheduled task, unlike one queued
         * with {@code execute}, runs only after the loop's next round of input.
         */
        private void continueOrFinish() {
            if (next < size) {
                try {
                    loop.schedule(this, 0, TimeUnit.NANOSECONDS);
                    return;
                } catch (RejectedExecutionException stopping) {
                    release();
                }
            }
            whenDone.run();
        }

        /** The event loop is gone (the process is stopping): the unwritten frames' shares go back to the pool. */
        void release() {
            for (int i = next; i < size; i++) {
                ReferenceCountUtil.release(items[i]);
            }
            next = size;
        }
    }
}
