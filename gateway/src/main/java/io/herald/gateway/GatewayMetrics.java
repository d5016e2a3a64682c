package io.herald.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.herald.gateway.fanout.InboxLag;
import io.herald.membership.Membership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The gateway's meters, served in the Prometheus format on {@code /q/metrics} (docs/operations.md,
 * "Metrics"). The meters of the paths that run per frame or per delivery are made once here, so
 * those paths only add to a counter; meters with a label are made on first use of the label's
 * value, which comes from a bounded set (app ids, close codes, HTTP statuses, Redis operations).
 */
@ApplicationScoped
public class GatewayMetrics {

    /** Publish-to-delivery latencies worth telling apart, from a local hop to a stalled router. */
    private static final Duration[] LATENCY_BUCKETS = { Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10) };

    @Inject
    MeterRegistry registry;

    @Inject
    Membership membership;

    private Counter framesWritten;
    private Counter bytesWritten;
    private Counter framesDropped;
    private Counter slowDisconnects;
    private Counter inboxEntryFailures;
    private Counter inboxOverflows;
    private Counter deliveries;
    private Timer publishToDelivery;
    private final Map<String, Counter> connects = new ConcurrentHashMap<>();
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
    private final Map<String, Counter> disconnects = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> publishRequests = new ConcurrentHashMap<>();
    private final Map<String, Counter> redisErrors = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, Counter> webhooks = new ConcurrentHashMap<>();

    @PostConstruct
    void register() {
        framesWritten = Counter.builder("herald.gateway.frames.written")
                .description("Frames written to client sockets").register(registry);
        bytesWritten = Counter.builder("herald.gateway.written").baseUnit("bytes")
                .description("UTF-8 payload bytes of the frames written to client sockets").register(registry);
        framesDropped = Counter.builder("herald.gateway.frames.dropped")
                .description("Frames not written because their socket had closed meanwhile").register(registry);
        slowDisconnects = Counter.builder("herald.gateway.slow.disconnects")
                .description("Sockets closed with 4100 because their unwritten output passed the limit").register(registry);
        inboxEntryFailures = Counter.builder("herald.gateway.inbox.entry.failures")
                .description("Inbox entries whose handling failed (a bug: the reader logs it and goes on)").register(registry);
        inboxOverflows = Counter.builder("herald.gateway.inbox.overflows")
                .description("Times the inbox was found trimmed past what the gateway read: deliveries lost, receivers told")
                .register(registry);
        deliveries = Counter.builder("herald.gateway.deliveries")
                .description("Event frames handed to subscribed sockets, one per publication per receiver").register(registry);
        publishToDelivery = Timer.builder("herald.gateway.publish.delivery.latency")
                .description("From a publication's entry in its shard stream (Redis time) to its delivery here")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        FunctionCounter.builder("herald.lease.renew.failures", membership, member -> member.own().renewFailures())
                .description("Failed attempts to renew this pod's membership Lease").register(registry);
    }

    /** Exposes an app's open connections here; called once per app, with the count the gateway keeps anyway. */
    public void connections(String app, AtomicInteger open) {
        Gauge.builder("herald.gateway.connections", open, AtomicInteger::get).tag("app", app)
                .description("Open client connections on this gateway").register(registry);
    }

    public void connected(String app) {
        connects.computeIfAbsent(app, id -> Counter.builder("herald.gateway.connects").tag("app", id)
                .description("Connections established").register(registry)).increment();
    }

    public void refused(int code) {
        refusals.computeIfAbsent(codeLabel(code), label -> Counter.builder("herald.gateway.connect.refusals")
                .tag("code", label).description("Connections refused at the handshake, by Pusher close code")
                .register(registry)).increment();
    }

    public void disconnected(int code) {
        disconnects.computeIfAbsent(codeLabel(code), label -> Counter.builder("herald.gateway.disconnects")
                .tag("code", label).description("Established connections closed, by close code").register(registry))
                .increment();
    }

    /** A change in an app's subscriptions (connection and channel pairs) on this gateway. */
    public void subscribed(String app, int delta) {
        subscriptions.computeIfAbsent(app, id -> {
            AtomicLong count = new AtomicLong();
            Gauge.builder("herald.gateway.subscriptions", count, AtomicLong::get).tag("app", id)
                    .description("Channel subscriptions held by connections on this gateway").register(registry);
            return count;
        }).addAndGet(delta);
    }

    /** Frames written to sockets, counted once per run of writes on an event loop rather than per frame. */
    public void written(int frames, long bytes) {
        framesWritten.increment(frames);
        bytesWritten.increment(bytes);
    }

    public void dropped() {
        framesDropped.increment();
    }

    public void cutAsSlow() {
        slowDisconnects.increment();
    }

    /**
     * One publication handed to {@code receivers} sockets here.
     *
     * @param publishedAtMillis when its shard stream entry was made, by Redis's clock
     */
    public void delivered(int receivers, long publishedAtMillis) {
        deliveries.increment(receivers);
        publishToDelivery.record(Math.max(0, System.currentTimeMillis() - publishedAtMillis), TimeUnit.MILLISECONDS);
    }

    /** Deliveries counted so far, for the web console's deliveries per second. */
    public long deliveriesSoFar() {
        return (long) deliveries.count();
    }

    /** Exposes the web console's open sessions on this gateway; called once, with the count the console keeps anyway. */
    public void consoleSessions(AtomicInteger open) {
        Gauge.builder("herald.gateway.console.sessions", open, AtomicInteger::get)
                .description("Web console sessions (event streams) open on this gateway").register(registry);
    }

    /** Exposes the inbox lag that the reader keeps anyway for its overload decision; called once. */
    public void inboxLag(InboxLag lag) {
        Gauge.builder("herald.gateway.inbox.lag", lag, inbox -> inbox.lagMillis() / 1000.0).baseUnit("seconds")
                .description("Age of the oldest entry of the inbox batch read last (0 once the inbox is idle)")
                .register(registry);
    }

    public void inboxOverflowed() {
        inboxOverflows.increment();
    }

    public void inboxEntryFailed() {
        inboxEntryFailures.increment();
    }

    public void publishAnswered(int status) {
        publishRequests.computeIfAbsent(status, code -> Counter.builder("herald.gateway.publish.requests")
                .tag("status", Integer.toString(code)).description("REST publish requests (events, batch_events), by HTTP status")
                .register(registry)).increment();
    }

    /** A webhook request's attempt: {@code delivered}, {@code retried} (it failed and goes again) or {@code given_up}. */
    public void webhookSent(String outcome) {
        webhooks.computeIfAbsent(outcome, name -> Counter.builder("herald.gateway.webhooks").tag("outcome", name)
                .description("Webhook requests (one per app, URL and batch) by outcome of each attempt").register(registry))
                .increment();
    }

    /** A Redis command that failed where the gateway catches the failure; {@code operation} is one of a few fixed names. */
    public void redisError(String operation) {
        redisErrors.computeIfAbsent(operation, name -> Counter.builder("herald.redis.command.errors").tag("operation", name)
                .description("Redis commands that failed, by what they were for").register(registry)).increment();
    }

    /** WebSocket close codes lie in 1000-4999; anything else a peer sends is one label, not many. */
    private static String codeLabel(int code) {
        return code >= 1000 && code <= 4999 ? Integer.toString(code) : "other";
    }
}
