package io.herald.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import com.pusher.client.Pusher;
import com.pusher.client.channel.PrivateChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.herald.local.AppCredentials;
import io.herald.local.LocalCluster;
import io.herald.local.LocalClusterOptions;
import io.herald.local.NodeProcess;

/**
 * pusher-js on its HTTP fallback transports, {@code xhr_streaming} and {@code xhr_polling}, on a
 * cluster of two gateways: in node (the cases of {@code http-transports.suite.mjs} and
 * {@code http-reconnect.mjs}) and in headless Chromium, whose page comes from another origin than
 * the gateway, as a web app's does. Needs Node.js and npm, and Debian's {@code chromium} and
 * {@code chromium-driver}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpTransportsTest {

    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static LocalCluster cluster;
    private static HttpServer pages;
    /** One Chromium for both browser cases: starting it is the slowest part of them. */
    private static HeadlessChromium chromium;
    private static ChromeDriver browser;

    @BeforeAll
    static void installClientsAndStartCluster() throws Exception {
        NodeScripts.prepare();
        cluster = TestClusters.start(HttpTransportsTest.class, 2, 1, LocalClusterOptions.DEFAULT_LEASE_DURATION,
                Map.of("HERALD_DRAIN_PERIOD", "1s"));
        pages = servePage();
    }

    @AfterAll
    static void stop() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
        if (pages != null) {
            pages.stop(0);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void pusherJsInNodeSubscribesReceivesJoinsPresenceAndTradesClientEventsOverBothTransports() throws Exception {
        NodeScripts.Result result = runNode(List.of("node", "--test", "http-transports.suite.mjs"), Map.of());
        // Five cases for each of the two transports; a suite that ran none would pass too.
        assertTrue(result.lines().stream().anyMatch(line -> line.matches("^(#|\u2139) pass 10$")), "the suite did not run its 10 cases");
    }

    @Test
    @Order(2)
    void pusherJsInChromiumOverXhrStreamingSubscribesReceivesAndTradesClientEvents() throws Exception {
        inChromium("xhr_streaming");
    }

    @Test
    @Order(3)
    void pusherJsInChromiumOverXhrPollingSubscribesReceivesAndTradesClientEvents() throws Exception {
        inChromium("xhr_polling");
    }

    /** Last: it restarts gateway B. */
    @Test
    @Order(4)
    void pusherJsSessionsToldToReconnectByADrainingGatewayReconnectAndResubscribe() throws Exception {
        NodeProcess restarted = cluster.gateways().get(1);
        Path ready = Files.createTempFile("http-reconnect", ".ready");
        Files.delete(ready);
        CompletableFuture<NodeScripts.Result> node = CompletableFuture.supplyAsync(() -> {
            try {
                return runNode(List.of("node", "http-reconnect.mjs"), Map.of("HERALD_RECONNECT_PORT",
                        String.valueOf(restarted.httpPort()), "HERALD_READY_FILE", ready.toString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(TIMEOUT).until(() -> Files.exists(ready) || node.isDone());
        assertTrue(Files.exists(ready), "the clients did not connect");
        cluster.restart(restarted);
        List<String> lines = node.get(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS).lines();
        for (String transport : List.of("xhr_streaming", "xhr_polling")) {
            assertTrue(lines.stream().anyMatch(line -> line.startsWith(transport + ": told ") && line.contains("4200")),
                    transport + " did not report its reconnection");
        }
    }

    private static NodeScripts.Result runNode(List<String> command, Map<String, String> settings) throws Exception {
        Map<String, String> environment = new HashMap<>(NodeScripts.environment(cluster));
        environment.putAll(settings);
        NodeScripts.Result result = NodeScripts.run("node", command, environment, NODE_TIMEOUT);
        if (result.exitCode() != 0) {
            String failures = result.lines().stream()
                    .filter(line -> line.startsWith("not ok") || line.startsWith("\u2716") || line.contains("Error"))
                    .collect(Collectors.joining("\n"));
            fail(String.join(" ", command) + " exited with " + result.exitCode() + " (output above):\n" + failures);
        }
        return result;
    }

    /**
     * The page subscribes to a private channel through the gateway A; a publication through B and
     * a client event from a pusher-java-client WebSocket on B reach it, and its client event
     * reaches that WebSocket.
     */
    private static void inChromium(String transport) throws Exception {
        NodeProcess a = cluster.gateways().get(0);
        NodeProcess b = cluster.gateways().get(1);
        String channel = "private-browser-" + transport + "-" + System.nanoTime();
        List<String> atWebSocket = new CopyOnWriteArrayList<>();
        Pusher webSocket = PusherClients.authorizedClient(b, cluster.options().app().secret());
        if (chromium == null) {
            chromium = HeadlessChromium.start();
            browser = chromium.driver();
        }
        try {
            webSocket.connect();
            webSocket.subscribePrivate(channel, new PrivateChannelEventListener() {
                @Override
                public void onEvent(PusherEvent event) {
                    atWebSocket.add(event.getData());
                }

                @Override
                public void onAuthenticationFailure(String message, Exception e) {
                    atWebSocket.add("auth failed: " + message);
                }

                @Override
                public void onSubscriptionSucceeded(String channelName) {
                }
            }, "client-from-page");
            browser.get("http://127.0.0.1:" + pages.getAddress().getPort() + "/?key=" + cluster.options().app().key()
                    + "&host=127.0.0.1&port=" + a.httpPort() + "&transport=" + transport + "&channel=" + channel);
            await().atMost(TIMEOUT).until(() -> Boolean.TRUE.equals(script(browser, "return window.herald.subscribed")));
            assertEquals(transport, script(browser, "return window.herald.transport"));
            await().atMost(TIMEOUT).until(() -> webSocket.getPrivateChannel(channel) != null
                    && webSocket.getPrivateChannel(channel).isSubscribed());

            PusherClients.publisher(b).trigger(channel, "greeting", "{\"text\":\"hello browser\"}");
            webSocket.getPrivateChannel(channel).trigger("client-from-java", "{\"from\":\"websocket\"}");
            await().atMost(TIMEOUT).until(() -> String.valueOf(script(browser, "return JSON.stringify(window.herald.events)")),
                    events -> events.contains("hello browser") && events.contains("websocket"));

            script(browser, "return window.herald.trigger('client-from-page', {from: 'browser'})");
            await().atMost(TIMEOUT).until(() -> atWebSocket.contains("{\"from\":\"browser\"}"));
            assertEquals("[]", String.valueOf(script(browser, "return JSON.stringify(window.herald.errors)")));
        } finally {
            // Leaving the page ends its session.
            browser.get("about:blank");
            webSocket.disconnect();
        }
    }

    private static Object script(ChromeDriver page, String script) {
        return ((JavascriptExecutor) page).executeScript(script);
    }

    /**
     * The test page, pusher-js's browser bundle, and an auth endpoint signing private channels as an
     * app's backend does with pusher-http-java, all on another origin than the gateways.
     */
    private static HttpServer servePage() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] page;
        try (InputStream in = HttpTransportsTest.class.getResourceAsStream("/http-transports/page.html")) {
            page = in.readAllBytes();
        }
        byte[] bundle = Files.readAllBytes(NodeScripts.directory().resolve("node_modules/pusher-js/dist/web/pusher.min.js"));
        AppCredentials app = cluster.options().app();
        com.pusher.rest.Pusher signer = new com.pusher.rest.Pusher(app.id(), app.key(), app.secret());
        server.createContext("/pusher.min.js", exchange -> answer(exchange, "application/javascript", bundle));
        server.createContext("/auth", exchange -> {
            Map<String, String> form = new HashMap<>();
            for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] parts = pair.split("=", 2);
                form.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
            answer(exchange, "application/json",
                    signer.authenticate(form.get("socket_id"), form.get("channel_name")).getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/", exchange -> answer(exchange, "text/html; charset=utf-8", page));
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
