package io.herald.systemtests;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.pusher.rest.data.Validity;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.herald.local.AppCredentials;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An app's webhook endpoint for tests: a real HTTP server (the JDK's) that records every request
 * it gets, checks its signature with pusher-http-java's {@code validateWebhookSignature} as an
 * app would, and answers 200, or 500 to its first few requests, or never (it holds the request
 * until closed), to try Herald's retries and timeouts.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. */
    record Request(Map<String, String> headers, String body, boolean validForJavaSdk, long arrivedNanos) {

        JsonArray events() {
            return new JsonObject(body).getJsonArray("events");
        }

        JsonObject asRecorded() {
            return new JsonObject().put("headers", new JsonObject(new TreeMap<>(headers))).put("body", body);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failuresLeft;
    private final boolean answers;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final com.pusher.rest.Pusher sdk;

    private WebhookReceiver(AppCredentials app, int failFirst, boolean answers) throws IOException {
        this.failuresLeft = new AtomicInteger(failFirst);
        this.answers = answers;
        this.sdk = new com.pusher.rest.Pusher(app.id(), app.key(), app.secret());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static WebhookReceiver answering(AppCredentials app) throws IOException {
        return new WebhookReceiver(app, 0, true);
    }

    /** Answers 500 to its first {@code count} requests, then 200. */
    static WebhookReceiver failingFirst(AppCredentials app, int count) throws IOException {
        return new WebhookReceiver(app, count, true);
    }

    /** Takes every request in and never answers it. */
    static WebhookReceiver neverAnswering(AppCredentials app) throws IOException {
        return new WebhookReceiver(app, 0, false);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks");
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Every event received so far, in arrival order. */
    List<JsonObject> events() {
        List<JsonObject> events = new ArrayList<>();
        for (Request request : requests()) {
            request.events().forEach(event -> events.add((JsonObject) event));
        }
        return events;
    }

    /** The events received so far about the channel, as {@code name} or {@code name user_id}. */
    List<String> eventsOf(String channel) {
        List<String> names = new ArrayList<>();
        for (JsonObject event : events()) {
            if (channel.equals(event.getString("channel"))) {
                names.add(event.getString("name") + (event.containsKey("user_id") ? " " + event.getString("user_id") : ""));
            }
        }
        return names;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            boolean valid = sdk.validateWebhookSignature(headers.get("x-pusher-key"), headers.get("x-pusher-signature"),
                    body) == Validity.VALID;
            requests.add(new Request(headers, body, valid, System.nanoTime()));
            if (!answers) {
                closed.await(60, TimeUnit.SECONDS);
                return;
            }
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
            exchange.sendResponseHeaders(status, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
