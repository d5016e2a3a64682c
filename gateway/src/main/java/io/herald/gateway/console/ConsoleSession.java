package io.herald.gateway.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadArgs;
import org.redisson.client.codec.StringCodec;

import io.herald.gateway.GatewayMetrics;
import io.herald.gateway.apps.App;
import io.herald.streams.ClusterSettings;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One open console page: a Server-Sent Events response that gets the app's new log entries
 * ({@code log}, read from the console stream without a consumer group, one blocking read after
 * the other, so an entry reaches the page as soon as it is appended)
 * and, every second, the cluster's state ({@code state}). Each tick also keeps the app watched,
 * so the gateways report only while some page is open. Everything runs on the response's event
 * loop, but for the Redis reads, which run off it.
 */
final class ConsoleSession {

    private static final Logger LOG = Logger.getLogger(ConsoleSession.class);
    /** How long one read waits for entries; a closed page is noticed within it. */
    static final Duration LOG_BLOCK = Duration.ofSeconds(1);
    static final long STATE_PERIOD_MILLIS = 1000;
    /** Entries shown when the page opens, and read at most per poll. */
    static final int BATCH = 200;

    private final App app;
    private final long expiresAtSeconds;
    private final HttpServerResponse response;
    private final Context context;
    private final ConsoleView view;
    private final RStream<String, String> log;
    private final AtomicInteger open;
    private final GatewayMetrics metrics;
    private StreamMessageId lastId;
    private boolean gathering;
    private boolean closed;
    private long stateTimer = -1;

    ConsoleSession(App app, long expiresAtSeconds, HttpServerResponse response, Context context, ConsoleView view,
            RedissonClient redis, ClusterSettings cluster, AtomicInteger open, GatewayMetrics metrics) {
        this.app = app;
        this.expiresAtSeconds = expiresAtSeconds;
        this.response = response;
        this.context = context;
        this.view = view;
        this.log = redis.getStream(cluster.layout().consoleLog(app.id()), StringCodec.INSTANCE);
        this.open = open;
        this.metrics = metrics;
    }

    /** On the response's event loop. */
    void start() {
        open.incrementAndGet();
        response.closeHandler(ignored -> close());
        response.exceptionHandler(failure -> close());
        response.setChunked(true).setStatusCode(200)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no")
                .write("retry: 2000\n\n");
        gatherState();
        log.rangeReversedAsync(BATCH, StreamMessageId.MAX, StreamMessageId.MIN).whenComplete((recent, failure) ->
                context.runOnContext(ignored -> {
                    if (failure != null) {
                        metrics.redisError("console");
                        LOG.debugf("Reading the console log of app %s failed: %s", app.id(), failure.getMessage());
                        lastId = new StreamMessageId(0, 0);
                    } else {
                        List<StreamMessageId> ids = new ArrayList<>(recent.keySet());
                        lastId = ids.isEmpty() ? new StreamMessageId(0, 0) : ids.get(0);
                        JsonArray entries = new JsonArray();
                        for (int i = ids.size() - 1; i >= 0; i--) {
                            entries.add(ConsoleEntry.toBrowser(ids.get(i).toString(), recent.get(ids.get(i))));
                        }
                        send("log", new JsonObject().put("entries", entries));
                    }
                    if (!closed) {
                        stateTimer = context.owner().setPeriodic(STATE_PERIOD_MILLIS, id -> gatherState());
                        readLog();
                    }
                }));
    }

    /** Reads what follows the last entry sent, waiting up to {@link #LOG_BLOCK}, then reads again. */
    private void readLog() {
        if (closed) {
            return;
        }
        log.readAsync(StreamReadArgs.greaterThan(lastId).count(BATCH).timeout(LOG_BLOCK)).whenComplete((read, failure) ->
                context.runOnContext(ignored -> {
                    if (failure != null) {
                        metrics.redisError("console");
                        LOG.debugf("Reading the console log of app %s failed: %s", app.id(), failure.getMessage());
                        // Redis is away: try again after a pause rather than at once.
                        context.owner().setTimer(LOG_BLOCK.toMillis(), id -> readLog());
                        return;
                    }
                    if (read == null || read.isEmpty()) {
                        readLog();
                        return;
                    }
                    JsonArray entries = new JsonArray();
                    for (Map.Entry<StreamMessageId, Map<String, String>> entry : read.entrySet()) {
                        entries.add(ConsoleEntry.toBrowser(entry.getKey().toString(), entry.getValue()));
                        lastId = entry.getKey();
                    }
                    send("log", new JsonObject().put("entries", entries));
                    readLog();
                }));
    }

    private void gatherState() {
        if (gathering || closed) {
            return;
        }
        if (expiresAtSeconds <= System.currentTimeMillis() / 1000) {
            send("expired", new JsonObject().put("error", "The console session has expired: sign in again"));
            response.end();
            close();
            return;
        }
        gathering = true;
        context.owner().executeBlocking(() -> {
            view.watch(app.id());
            return view.state(app.id());
        }, false).onComplete(result -> {
            gathering = false;
            if (result.succeeded()) {
                send("state", result.result());
            } else {
                metrics.redisError("console");
                LOG.debugf("Gathering the console state of app %s failed: %s", app.id(), result.cause().toString());
            }
        });
    }

    private void send(String event, JsonObject data) {
        if (!closed && !response.ended()) {
            response.write("event: " + event + "\ndata: " + data.encode() + "\n\n");
        }
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        open.decrementAndGet();
        if (stateTimer >= 0) {
            context.owner().cancelTimer(stateTimer);
        }
    }
}
