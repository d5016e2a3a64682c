package io.herald.benchmark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code recovery}: how long a client that comes back waits for what it missed. Each round a
 * subscriber subscribes with {@code herald_recover: {}}, notes the channel's position from
 * {@code subscription_succeeded} and disconnects; a gap of N events is published through the
 * signed REST API and every one is acknowledged; then a new connection resubscribes with that
 * position. Measured: from sending the resubscribe to receiving the last missed event. Every
 * round checks that the subscription was recovered, that the missed events came with the
 * offsets after the noted position, consecutive and each once, and that they are exactly the
 * events published in the round; a round that fails this fails the run.
 */
final class RecoveryScenario implements Scenario {

    static final double TARGET_P99_MILLIS = 100;
    private static final String CHANNEL = "recovery-0";
    private static final String RECOVERY_FAILED = "herald:recovery_failed";
    private static final long ROUND_TIMEOUT_SECONDS = 30;
    /** Publishing is not what is measured, and a busy machine can slow it a lot; only a stuck run should hit this. */
    private static final long PUBLISH_TIMEOUT_SECONDS = 180;

    private final int rounds;
    private final int warmupRounds;
    private final int gap;
    private final int historySize;
    private final int payloadBytes;
    private final int maxInFlight;
    private final int batch;
    private final boolean afterRouted;

    RecoveryScenario(Arguments arguments) {
        rounds = arguments.integer("rounds", 50);
        warmupRounds = arguments.integer("warmup-rounds", 5);
        gap = arguments.integer("gap", 1_000);
        historySize = arguments.integer("history-size", 2_000);
        payloadBytes = arguments.integer("payload-bytes", 100);
        maxInFlight = arguments.integer("max-in-flight", 64);
        // Ten events a request (the Pusher API's most) makes the gap quickly; publishing is not what is measured.
        batch = arguments.integer("batch", 10);
        String resubscribe = arguments.text("resubscribe", "routed");
        if (!resubscribe.equals("routed") && !resubscribe.equals("acknowledged")) {
            throw new IllegalArgumentException("--resubscribe must be routed or acknowledged, was " + resubscribe);
        }
        afterRouted = resubscribe.equals("routed");
        if (rounds < 1 || gap < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("need --rounds, --gap and --max-in-flight >= 1");
        }
        if (batch < 1 || batch > 10) {
            throw new IllegalArgumentException("--batch must be 1 (POST /events) to 10 (POST /batch_events with 10 events)");
        }
        if (historySize < gap) {
            throw new IllegalArgumentException("--history-size must hold the gap: at least --gap (" + gap + ")");
        }
    }

    @Override
    public Map<String, String> nodeEnvironment() {
        return Map.of("HERALD_HISTORY_SIZE", Integer.toString(historySize));
    }

    @Override
    public Table parameters() {
        return new Table("parameter", "value")
                .row("rounds measured (after warm-up rounds)", rounds + " (" + warmupRounds + ")")
                .row("gap: events published while the subscriber is away", Table.count(gap))
                .row("channel history (HERALD_HISTORY_SIZE), TTL", Table.count(historySize) + " events, default TTL")
                .row("event data size", payloadBytes + " B")
                .row("events per publish request", batch == 1 ? "1 (POST /events)" : batch + " (POST /batch_events)")
                .row("publish requests in flight at most", Integer.toString(maxInFlight))
                .row("resubscribe", afterRouted ? "once a witness subscribed through the gap received it all (routed)"
                        : "as soon as every publication was acknowledged, while the router may still be routing them")
                .row("measured", "resubscribe sent (herald_recover with the noted position) until the last missed event arrived");
    }

    @Override
    public void run(BenchmarkCluster cluster, LoadClient client, PrintStream out) throws Exception {
        int port = cluster.gateway(0).httpPort();
        SignedPublisher publisher = new SignedPublisher(client.vertx(), port, BenchmarkCluster.APP, maxInFlight);
        LatencyRecorder recoveries = new LatencyRecorder();
        LatencyRecorder answers = new LatencyRecorder();
        LatencyRecorder gaps = new LatencyRecorder();
        // The JVMs run the recovery path once a round: the first rounds are still being compiled.
        LatencyRecorder laterHalf = new LatencyRecorder();
        CpuUsage cpu = new CpuUsage(cluster.processes(), cluster.gateway(0).nodeId());
        long measuredSince = 0;
        for (int round = 0; round < warmupRounds + rounds; round++) {
            if (round == warmupRounds) {
                cpu.start();
                measuredSince = System.nanoTime();
            }
            Round result = round(client, publisher, port, round);
            if (round >= warmupRounds) {
                recoveries.record(result.lastEventNanos());
                answers.record(result.answerNanos());
                gaps.record(result.publishNanos());
            }
            if (round >= warmupRounds + rounds / 2) {
                laterHalf.record(result.lastEventNanos());
            }
            System.err.printf("  round %d: published %,d events in %s, recovered them in %s%n", round + 1, gap,
                    LatencyRecorder.LatencySummary.millis(result.publishNanos()),
                    LatencyRecorder.LatencySummary.millis(result.lastEventNanos()));
        }
        double seconds = (System.nanoTime() - measuredSince) / 1e9;
        CpuUsage.Result used = cpu.stop();
        LatencyRecorder.LatencySummary recovery = recoveries.summary();
        LatencyRecorder.LatencySummary answer = answers.summary();

        out.println("### recovery results\n");
        out.print(new Table("metric", "value")
                .row("rounds measured", Integer.toString(rounds))
                .row("gap per round", Table.count(gap) + " events, each recovered once and in order in every round")
                .row("resubscribe to last missed event, p50", LatencyRecorder.LatencySummary.millis(recovery.p50()))
                .row("p90", LatencyRecorder.LatencySummary.millis(recovery.p90()))
                .row("p99", LatencyRecorder.LatencySummary.millis(recovery.p99()))
                .row("max", LatencyRecorder.LatencySummary.millis(recovery.max()))
                .row("later half of the measured rounds, p50 / max", LatencyRecorder.LatencySummary.millis(laterHalf.summary().p50())
                        + " / " + LatencyRecorder.LatencySummary.millis(laterHalf.summary().max()))
                .row("resubscribe to subscription_succeeded, p50 / p99 / max", LatencyRecorder.LatencySummary.millis(answer.p50())
                        + " / " + LatencyRecorder.LatencySummary.millis(answer.p99()) + " / "
                        + LatencyRecorder.LatencySummary.millis(answer.max()))
                .row("publishing the gap (all acknowledged), p50", LatencyRecorder.LatencySummary.millis(gaps.summary().p50()))
                .row("measured rounds took", Table.decimal(seconds, 1) + " s"));
        out.println();
        Reports.printCpu(out, used);
        out.print(new Table("target", "measured", "met")
                .row("recovery of a " + Table.count(gap) + "-event gap: p99 <= 100 ms", LatencyRecorder.LatencySummary.millis(recovery.p99()),
                        Reports.yes(recovery.p99() <= TARGET_P99_MILLIS * 1_000_000)));
        out.println();
        publisher.close();
    }

    private Round round(LoadClient client, SignedPublisher publisher, int port, int round) throws Exception {
        Context loop = client.socketLoop(0);
        Subscriber first = new Subscriber(gap);
        PusherSocket leaving = onLoop(loop, () -> PusherSocket.open(client.client(0), port, BenchmarkCluster.APP.key(), first)
                .compose(socket -> socket.subscribe(CHANNEL, new JsonObject().put("herald_recover", new JsonObject())).map(socket)));
        JsonObject since = first.position.get(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        onLoop(loop, leaving::close);
        // A witness that stays tells when the router has routed the whole gap.
        Subscriber witness = new Subscriber(gap);
        PusherSocket staying = null;
        if (afterRouted) {
            staying = onLoop(loop, () -> PusherSocket.open(client.client(0), port, BenchmarkCluster.APP.key(), witness)
                    .compose(socket -> socket.subscribe(CHANNEL, new JsonObject().put("herald_recover", new JsonObject())).map(socket)));
            witness.position.get(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        long publishing = System.nanoTime();
        try {
            PublishBurst.publish(client.publisherLoop(), (gap + batch - 1) / batch, request -> {
                List<String> data = new ArrayList<>();
                for (int seq = request * batch; seq < Math.min(gap, (request + 1) * batch); seq++) {
                    data.add(PusherFrames.paddedData("\"round\":" + round + ",\"seq\":" + seq, payloadBytes));
                }
                return batch == 1 ? publisher.publish(PusherFrames.EVENT_NAME, List.of(CHANNEL), data.get(0))
                        : publisher.publishBatch(PusherFrames.EVENT_NAME, CHANNEL, data);
            }, maxInFlight).get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("round " + round + ": publishing the gap of " + gap + " took longer than "
                    + PUBLISH_TIMEOUT_SECONDS + " s");
        }
        long published = System.nanoTime() - publishing;
        if (staying != null) {
            witness.missed.get(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            onLoop(loop, staying::close);
        }

        Subscriber back = new Subscriber(gap);
        PusherSocket returning = onLoop(loop, () -> PusherSocket.open(client.client(0), port, BenchmarkCluster.APP.key(), back));
        onLoop(loop, () -> {
            back.sent = System.nanoTime();
            returning.subscribe(CHANNEL, new JsonObject().put("herald_recover", new JsonObject()
                    .put("epoch", since.getString("epoch")).put("offset", since.getLong("offset"))))
                    .onFailure(back::onLost);
            return Future.succeededFuture();
        });
        try {
            back.missed.get(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("round " + round + ": not all " + gap + " missed events arrived in "
                    + ROUND_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new IllegalStateException("round " + round + ": " + e.getCause().getMessage(), e.getCause());
        }
        JsonObject answer = back.position.get(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        onLoop(loop, returning::close);
        // Read after the close, on the loop that wrote them: anything past the gap is a duplicate.
        List<JsonObject> events = onLoop(loop, () -> Future.succeededFuture(List.copyOf(back.events)));
        verify(round, since, answer, events);
        return new Round(published, back.answered - back.sent, back.last - back.sent);
    }

    /** Fails the run unless the round got exactly its gap: recovered, consecutive offsets, every event once. */
    private void verify(int round, JsonObject since, JsonObject answer, List<JsonObject> events) {
        String problem = null;
        long from = since.getLong("offset");
        if (!answer.getBoolean("recovered", false)) {
            problem = "subscription_succeeded said recovered: false (" + answer + ")";
        } else if (!since.getString("epoch").equals(answer.getString("epoch")) || answer.getLong("offset") != from + gap) {
            problem = "the channel's position moved from " + since + " to " + answer + ", not by the gap of " + gap;
        } else if (events.size() != gap) {
            problem = events.size() + " events arrived for a gap of " + gap;
        }
        BitSet seen = new BitSet(gap);
        for (int i = 0; problem == null && i < events.size(); i++) {
            JsonObject event = events.get(i);
            JsonObject position = event.getJsonObject("herald", new JsonObject());
            JsonObject data = new JsonObject(event.getString("data", "{}"));
            int seq = data.getInteger("seq", -1);
            if (RECOVERY_FAILED.equals(event.getString("event"))) {
                problem = "got " + RECOVERY_FAILED + ": " + event.encode();
            } else if (!CHANNEL.equals(event.getString("channel")) || !since.getString("epoch").equals(position.getString("epoch"))
                    || position.getLong("offset", -1L) != from + 1 + i) {
                problem = "missed event " + i + " should be at offset " + (from + 1 + i) + " of epoch " + since.getString("epoch")
                        + ", was " + event.encode();
            } else if (data.getInteger("round", -1) != round || seq < 0 || seq >= gap || seen.get(seq)) {
                problem = "missed event " + i + " is not a new event of this round: " + event.encode();
            } else {
                seen.set(seq);
            }
        }
        if (problem != null) {
            throw new IllegalStateException("round " + round + ": " + problem);
        }
    }

    /** Runs on the socket's event loop, as the socket requires, and waits (bounded) for the result. */
    private static <T> T onLoop(Context loop, Supplier<Future<T>> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.runOnContext(ignored -> action.get().onComplete(done -> {
            if (done.succeeded()) {
                result.complete(done.result());
            } else {
                result.completeExceptionally(done.cause());
            }
        }));
        return result.get(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * One connection's view: the position {@code subscription_succeeded} carried and the events
     * after it, with the times they arrived. Touched only on the socket's event loop, except the
     * futures.
     */
    private static final class Subscriber implements PusherSocket.EventListener {
        final int expected;
        final CompletableFuture<JsonObject> position = new CompletableFuture<>();
        final CompletableFuture<Void> missed = new CompletableFuture<>();
        final List<JsonObject> events = new ArrayList<>();
        long sent;
        long answered;
        long last;

        Subscriber(int expected) {
            this.expected = expected;
        }

        @Override
        public void onProtocolFrame(JsonObject frame) {
            if ("pusher_internal:subscription_succeeded".equals(frame.getString("event"))) {
                answered = System.nanoTime();
                position.complete(frame.getJsonObject("herald", new JsonObject()));
            }
        }

        @Override
        public void onEvent(String frame) {
            long now = System.nanoTime();
            JsonObject event = new JsonObject(frame);
            events.add(event);
            if (RECOVERY_FAILED.equals(event.getString("event"))) {
                missed.completeExceptionally(new IllegalStateException("recovery failed: " + frame));
            } else if (events.size() == expected) {
                last = now;
                missed.complete(null);
            }
        }

        @Override
        public void onLost(int closeCode, String reason) {
            onLost(new IllegalStateException(reason));
        }

        void onLost(Throwable failure) {
            position.completeExceptionally(failure);
            missed.completeExceptionally(failure);
        }
    }

    /** Nanoseconds: publishing the gap until all were acknowledged, resubscribe to its answer, resubscribe to the last missed event. */
    private record Round(long publishNanos, long answerNanos, long lastEventNanos) {
    }
}
