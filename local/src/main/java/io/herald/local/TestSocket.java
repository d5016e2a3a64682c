package io.herald.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;

/**
 * A raw WebSocket client for tests, for what the official Pusher clients never send or never
 * show: malformed frames, binary frames, odd protocol versions, Herald's protocol extensions.
 * Every wait is bounded.
 */
public final class TestSocket implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket socket;

    private TestSocket(URI uri) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    frames.add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeCode.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closeCode.completeExceptionally(error);
            }
        }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    public static TestSocket open(URI uri) throws Exception {
        return new TestSocket(uri);
    }

    public void send(String text) throws Exception {
        socket.sendText(text, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Sends {@code {"event": event, "data": data}}. */
    public void send(String event, JsonObject data) throws Exception {
        send(new JsonObject().put("event", event).put("data", data).encode());
    }

    /** Sends one text message as several WebSocket frames. */
    public void sendFragments(String... parts) throws Exception {
        for (int i = 0; i < parts.length; i++) {
            socket.sendText(parts[i], i == parts.length - 1).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    public void sendBinary(byte[] bytes) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The next frame, which must arrive within the timeout. */
    public JsonObject next() throws InterruptedException {
        String frame = frames.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within " + TIMEOUT.toSeconds() + " s");
        }
        return new JsonObject(frame);
    }

    /** Fails unless the connection still answers a {@code pusher:ping}, and so was kept. */
    public void assertStillServed(String why) throws Exception {
        send("{\"event\":\"pusher:ping\"}");
        JsonObject answer = next();
        if (!"pusher:pong".equals(answer.getString("event"))) {
            throw new AssertionError(why + ": expected pusher:pong, got " + answer.encode());
        }
    }

    /** The next frame's {@code data}, decoded from its JSON string. */
    public static JsonObject data(JsonObject frame) {
        return new JsonObject(frame.getString("data"));
    }

    public int awaitCloseCode() throws Exception {
        return closeCode.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
