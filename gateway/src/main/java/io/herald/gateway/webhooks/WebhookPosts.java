package io.herald.gateway.webhooks;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.herald.gateway.GatewayMetrics;
import io.herald.gateway.auth.Signatures;

/**
 * Sends one webhook request as Pusher does: a JSON POST signed with the app's secret
 * ({@code X-Pusher-Key}, {@code X-Pusher-Signature} = HMAC-SHA256 hex of the body), answered by
 * any 2xx. A failure, a timeout or another status is retried after a back-off that doubles, up
 * to a number of attempts; then the request is given up, counted and logged. Everything is
 * asynchronous on the HTTP client's selector and a small executor: no thread waits for a
 * receiver, so a receiver that never answers costs a timeout, not a thread.
 */
final class WebhookPosts {

    private static final Logger LOG = Logger.getLogger(WebhookPosts.class);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final HttpClient client;
    private final Executor executor;
    private final Duration timeout;
    private final int attempts;
    private final Duration firstRetry;
    private final GatewayMetrics metrics;

    WebhookPosts(Executor executor, Duration timeout, int attempts, Duration firstRetry, GatewayMetrics metrics) {
        this.client = HttpClient.newBuilder().executor(executor).connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.executor = executor;
        this.timeout = timeout;
        this.attempts = attempts;
        this.firstRetry = firstRetry;
        this.metrics = metrics;
    }

    /** @return completes with true once delivered, false once given up; never exceptionally */
    CompletableFuture<Boolean> send(WebhookRequest request) {
        HttpRequest http = HttpRequest.newBuilder(request.url()).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("X-Pusher-Key", request.app().key())
                .header("X-Pusher-Signature", Signatures.hmacSha256Hex(request.app().secret(), request.body()))
                .POST(HttpRequest.BodyPublishers.ofString(request.body())).build();
        return attempt(request, http, 1);
    }

    private CompletableFuture<Boolean> attempt(WebhookRequest request, HttpRequest http, int attempt) {
        return client.sendAsync(http, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
            if (failure == null && response.statusCode() / 100 == 2) {
                metrics.webhookSent("delivered");
                return CompletableFuture.completedFuture(true);
            }
            String problem = failure != null ? String.valueOf(failure.getCause() != null ? failure.getCause() : failure)
                    : "HTTP " + response.statusCode();
            if (attempt >= attempts) {
                metrics.webhookSent("given_up");
                LOG.warnf("Webhook of app %s to %s given up after %d attempts (%d events lost): %s", request.app().id(),
                        request.url(), attempt, request.events(), problem);
                return CompletableFuture.completedFuture(false);
            }
            metrics.webhookSent("retried");
            Duration delay = retryDelay(attempt);
            LOG.debugf("Webhook of app %s to %s failed (%s), attempt %d; retrying in %d ms", request.app().id(),
                    request.url(), problem, attempt, delay.toMillis());
            return CompletableFuture.supplyAsync(() -> attempt,
                    CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS, executor))
                    .thenCompose(previous -> attempt(request, http, previous + 1));
        }).thenCompose(next -> next);
    }

    /** The first retry's delay, doubled for each one after, at most 30 s. */
    Duration retryDelay(int failedAttempt) {
        Duration delay = firstRetry.multipliedBy(1L << Math.min(failedAttempt - 1, 20));
        return delay.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay;
    }
}
