package io.herald.gateway.rest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.pusher.rest.SignatureUtil;

/** Signed REST requests of the test app, sent raw, for what pusher-http-java cannot send (info, bad bodies). */
final class SignedPosts {

    static final String KEY = "herald-key";
    static final String SECRET = "herald-secret";

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI root;

    SignedPosts(URI root) {
        this.root = root;
    }

    /** A POST to the path of app 1 (e.g. {@code /apps/1/events}), signed by pusher-http-java's own signer. */
    URI signed(String path, String body) {
        return SignatureUtil.uri("POST", "http", root.getHost() + ":" + root.getPort(), path, body, KEY, SECRET, Map.of());
    }

    HttpResponse<String> post(URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return post(signed(path, body), body);
    }
}
