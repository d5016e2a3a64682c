package io.herald.benchmark;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.pusher.rest.SignatureUtil;

import io.herald.local.AppCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Publishes through the signed REST API, {@code POST /apps/{id}/events}, as an app backend does.
 * The signature comes from the official pusher-http-java library, so the gateway sees exactly
 * what a real SDK sends; the request goes out on a non-blocking client with a pool of keep-alive
 * connections, so many requests can be in flight.
 */
final class SignedPublisher {

    private final HttpClient http;
    private final int port;
    private final AppCredentials app;
    private final String path;
    private final String batchPath;

    SignedPublisher(Vertx vertx, int port, AppCredentials app, int connections) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(connections));
        this.port = port;
        this.app = app;
        this.path = "/apps/" + app.id() + "/events";
        this.batchPath = "/apps/" + app.id() + "/batch_events";
    }

    /** Closes the pooled connections. */
    Future<Void> close() {
        return http.close();
    }

    /** Publishes one event to the channels; completes with the HTTP status. */
    Future<Integer> publish(String event, List<String> channels, String data) {
        JsonObject request = new JsonObject().put("name", event).put("data", data);
        if (channels.size() == 1) {
            request.put("channel", channels.get(0));
        } else {
            request.put("channels", new JsonArray(List.copyOf(channels)));
        }
        return post(path, request.encode());
    }

    /**
     * Publishes up to 10 events to one channel in one request ({@code POST /apps/{id}/batch_events}),
     * in this order; completes with the HTTP status.
     */
    Future<Integer> publishBatch(String event, String channel, List<String> data) {
        JsonArray batch = new JsonArray();
        data.forEach(one -> batch.add(new JsonObject().put("name", event).put("channel", channel).put("data", one)));
        return post(batchPath, new JsonObject().put("batch", batch).encode());
    }

    private Future<Integer> post(String target, String body) {
        URI signed = SignatureUtil.uri("POST", "http", "127.0.0.1:" + port, target, body, app.key(), app.secret(), Map.of());
        return http.request(new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1")
                        .setPort(port)
                        // A request left unanswered (a frozen gateway, a paused Redis) fails instead of waiting forever.
                        .setIdleTimeout(30_000)
                        .setURI(signed.getRawPath() + "?" + signed.getRawQuery())
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json"))
                .compose(call -> call.send(body))
                .compose(response -> response.body().map(ignored -> response.statusCode()));
    }
}
