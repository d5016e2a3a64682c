package io.herald.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.vertx.core.Context;

/**
 * The steady publisher of the fault harness: signed REST publications at a fixed rate, round
 * robin over the channels, each channel's publications alternating over the gateways (as a load
 * balancer in front of them would spread them),
 * each carrying its channel's next sequence number as {@code {"seq":N}}. A channel has at most
 * one publication in flight, so the order of acknowledgements is the order Herald must keep;
 * when every channel is waiting for an answer, the schedule waits too.
 *
 * <p>Everything runs on the publisher's event loop; results are read through futures.
 */
final class FaultPublisher {

    static final String EVENT = "seq";

    /** One publication: sent at {@code sentNanos}, answered at {@code answeredNanos} with {@code status} (0: no HTTP answer). */
    record Publication(int channel, long seq, long sentNanos, long answeredNanos, int status) {

        boolean acknowledged() {
            return status == 200;
        }
    }

    private final Context loop;
    private final List<SignedPublisher> gateways;
    private final List<String> channels;
    private final long ratePerSecond;
    // Touched only on the publisher's event loop.
    private final long[] nextSeq;
    private final boolean[] busy;
    private final List<Publication> answered = new ArrayList<>();
    private long started;
    private long issued;
    private int nextChannel;
    private int inFlight;
    private long timer = -1;
    private boolean stopping;
    private Runnable whenDrained;

    FaultPublisher(Context loop, List<SignedPublisher> gateways, List<String> channels, long ratePerSecond) {
        this.loop = loop;
        this.gateways = List.copyOf(gateways);
        this.channels = List.copyOf(channels);
        this.ratePerSecond = ratePerSecond;
        this.nextSeq = new long[channels.size()];
        this.busy = new boolean[channels.size()];
    }

    void start() {
        loop.runOnContext(ignored -> {
            started = System.nanoTime();
            timer = loop.owner().setPeriodic(1, id -> pump());
        });
    }

    /** The sequence number the next publication on each channel will carry. */
    CompletableFuture<long[]> nextSequences() {
        CompletableFuture<long[]> next = new CompletableFuture<>();
        loop.runOnContext(ignored -> next.complete(nextSeq.clone()));
        return next;
    }

    /** Stops publishing; completes with every publication once each has its answer. */
    CompletableFuture<List<Publication>> stop() {
        CompletableFuture<List<Publication>> all = new CompletableFuture<>();
        loop.runOnContext(ignored -> {
            stopping = true;
            loop.owner().cancelTimer(timer);
            whenDrained = () -> all.complete(List.copyOf(answered));
            if (inFlight == 0) {
                whenDrained.run();
            }
        });
        return all;
    }

    private void pump() {
        long due = ratePerSecond * (System.nanoTime() - started) / 1_000_000_000L;
        while (!stopping && issued < due) {
            int channel = freeChannel();
            if (channel < 0) {
                return;
            }
            publish(channel);
        }
    }

    private int freeChannel() {
        for (int tried = 0; tried < channels.size(); tried++) {
            int channel = nextChannel;
            nextChannel = (nextChannel + 1) % channels.size();
            if (!busy[channel]) {
                return channel;
            }
        }
        return -1;
    }

    private void publish(int channel) {
        long seq = nextSeq[channel]++;
        busy[channel] = true;
        issued++;
        inFlight++;
        // Each channel alternates over the gateways. A plain rotation over publications pinned each
        // channel to one gateway when the channel count is a multiple of the gateway count, so a
        // dead gateway's channels got nothing but refusals, and no subscriber could be served again.
        SignedPublisher gateway = gateways.get((int) ((channel + seq) % gateways.size()));
        long sent = System.nanoTime();
        gateway.publish(EVENT, List.of(channels.get(channel)), "{\"seq\":" + seq + "}").onComplete(result -> {
            answered.add(new Publication(channel, seq, sent, System.nanoTime(), result.succeeded() ? result.result() : 0));
            busy[channel] = false;
            inFlight--;
            if (stopping && inFlight == 0) {
                whenDrained.run();
            }
        });
    }
}
