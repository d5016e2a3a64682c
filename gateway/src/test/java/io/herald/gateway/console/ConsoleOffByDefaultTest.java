package io.herald.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** A gateway nobody configured serves no console: neither the page nor any of its API. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class ConsoleOffByDefaultTest {

    @TestHTTPResource("/")
    URI root;

    @Inject
    ConsoleFeed feed;

    @Test
    void neitherThePageNorItsApiIsServed() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("console", "console/", "console/console.js", "console/api/apps/1/session")) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(root.resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, answer.statusCode(), path);
        }
        HttpResponse<String> signIn = http.send(HttpRequest.newBuilder(root.resolve("console/api/session"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"app_id\":\"1\",\"key\":\"herald-key\",\"secret\":\"herald-secret\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, signIn.statusCode());

        assertFalse(feed.enabled());
    }
}
