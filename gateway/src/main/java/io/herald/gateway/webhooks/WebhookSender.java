package io.herald.gateway.webhooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.redisson.RedissonShutdownException;
import org.redisson.api.stream.StreamMessageId;

import io.herald.gateway.GatewayConfig;
import io.herald.gateway.GatewayMetrics;
import io.herald.gateway.apps.AppRegistry;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.MalformedEnvelopeException;
import io.herald.streams.WebhookFact;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Sends the apps' webhooks from the cluster's webhook stream, on a thread of its own so that
 * nothing on the delivery path ever waits for a receiver. Each read takes a batch of facts that
 * no other gateway has; they become one POST per app and webhook URL ({@link WebhookBatches}),
 * sent concurrently up to {@code herald.webhooks.max-in-flight} requests (the reader waits for a
 * free slot, not for a receiver), and the batch's entries leave the stream once every one of its
 * requests was delivered or given up. Every {@code claim-period}, entries another gateway read
 * longer than {@code claim-idle} ago and never finished (it died) are taken over and sent, and the
 * group forgets the readers of gateways that are gone.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final Duration READ_BLOCK = Duration.ofSeconds(1);
    private static final Duration FAILURE_PAUSE = Duration.ofSeconds(1);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    @Inject
    WebhookStream stream;

    @Inject
    AppRegistry apps;

    @Inject
    GatewayMetrics metrics;

    @Inject
    GatewayConfig config;

    private volatile boolean running;
    private Thread thread;
    private ExecutorService executor;
    private WebhookPosts posts;
    private Semaphore inFlight;

    void start(@Observes StartupEvent event) {
        executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread worker = new Thread(runnable, "herald-webhook-http");
            worker.setDaemon(true);
            return worker;
        });
        GatewayConfig.Webhooks settings = config.webhooks();
        posts = new WebhookPosts(executor, settings.timeout(), settings.attempts(), settings.firstRetry(), metrics);
        inFlight = new Semaphore(settings.maxInFlight());
        running = true;
        thread = new Thread(this::run, "herald-webhooks");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops reading, and gives the requests in flight a few seconds to finish: those still going
     * then are abandoned, their entries stay pending, and another gateway sends them once they
     * idled for {@code claim-idle}.
     */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(READ_BLOCK.multipliedBy(3).toMillis());
            if (!inFlight.tryAcquire(config.webhooks().maxInFlight(), STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.infof("Stopping with %d webhook requests in flight: another gateway sends them later",
                        config.webhooks().maxInFlight() - inFlight.availablePermits());
            }
            executor.shutdownNow();
        }
    }

    private void run() {
        boolean groupReady = false;
        long claimedAt = System.nanoTime();
        while (running) {
            try {
                if (!groupReady) {
                    stream.ensureGroup();
                    groupReady = true;
                }
                List<WebhookStream.Read> reads;
                if (System.nanoTime() - claimedAt > config.webhooks().claimPeriod().toNanos()) {
                    claimedAt = System.nanoTime();
                    reads = stream.claimStale(config.webhooks().claimIdle(), config.webhooks().batchSize());
                    int forgotten = stream.forgetIdleConsumers(config.webhooks().claimIdle());
                    if (forgotten > 0) {
                        LOG.infof("Removed %d webhook readers of gateways that are gone from the groups", forgotten);
                    }
                } else {
                    reads = List.of(stream.readNew(config.webhooks().batchSize(), READ_BLOCK));
                }
                for (WebhookStream.Read read : reads) {
                    if (!read.entries().isEmpty()) {
                        send(read.group(), read.entries());
                    }
                }
            } catch (InterruptedException | RedissonShutdownException stopping) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                metrics.redisError("webhooks_read");
                // A group that Redis lost with its data is created again.
                groupReady = false;
                LOG.warnf("Reading the webhook stream failed, retrying in %d ms: %s", FAILURE_PAUSE.toMillis(), e.getMessage());
                try {
                    Thread.sleep(FAILURE_PAUSE.toMillis());
                } catch (InterruptedException stopping) {
                    return;
                }
            }
        }
    }

    private void send(int group, Map<StreamMessageId, Map<String, String>> entries) throws InterruptedException {
        List<WebhookFact> facts = new ArrayList<>(entries.size());
        entries.forEach((id, fields) -> {
            try {
                if (fields != null && !fields.isEmpty()) {
                    facts.add(EnvelopeCodec.decodeWebhookFact(fields));
                }
            } catch (MalformedEnvelopeException e) {
                LOG.errorf("Skipping malformed webhook entry %s: %s", id, e.getMessage());
            }
        });
        List<WebhookRequest> requests = WebhookBatches.of(facts, apps::byId, System.currentTimeMillis());
        List<CompletableFuture<Boolean>> sent = new ArrayList<>(requests.size());
        for (WebhookRequest request : requests) {
            while (!inFlight.tryAcquire(READ_BLOCK.toMillis(), TimeUnit.MILLISECONDS)) {
                if (!running) {
                    return;
                }
            }
            sent.add(posts.send(request).whenComplete((delivered, bug) -> inFlight.release()));
        }
        List<StreamMessageId> ids = List.copyOf(entries.keySet());
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                .thenCompose(all -> stream.done(group, ids))
                .whenComplete((removed, failure) -> {
                    if (failure != null) {
                        metrics.redisError("webhooks_ack");
                        LOG.warnf("Could not remove %d sent webhook entries; another gateway may send them again: %s",
                                ids.size(), failure.getMessage());
                    }
                });
    }
}
