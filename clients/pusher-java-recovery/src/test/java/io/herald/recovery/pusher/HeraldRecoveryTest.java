package io.herald.recovery.pusher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.connection.ConnectionState;

/**
 * The helper inside a real pusher-java-client that loses its socket and reconnects by itself,
 * against a scripted server playing Herald's side of the recovery frames: it proves the hook
 * sees every subscribe the client sends, the first and each reconnection's. Herald's own side
 * is tested with a real cluster in the system tests.
 */
class HeraldRecoveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final BlockingQueue<String> subscribes = new LinkedBlockingQueue<>();
    private final BlockingQueue<WebSocket> sockets = new LinkedBlockingQueue<>();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private WebSocketServer server;
    private HeraldRecovery recovery;

    @BeforeEach
    void startServer() throws InterruptedException {
        BlockingQueue<Integer> port = new LinkedBlockingQueue<>();
        server = new WebSocketServer(new InetSocketAddress("127.0.0.1", 0)) {
            @Override
            public void onOpen(WebSocket socket, ClientHandshake handshake) {
                socket.send("{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\"1.1\\\",\\\"activity_timeout\\\":120}\"}");
                sockets.add(socket);
            }

            @Override
            public void onMessage(WebSocket socket, String message) {
                if (message.contains("pusher:subscribe")) {
                    subscribes.add(message);
                }
            }

            @Override
            public void onClose(WebSocket socket, int code, String reason, boolean remote) {
            }

            @Override
            public void onError(WebSocket socket, Exception e) {
            }

            @Override
            public void onStart() {
                port.add(getPort());
            }
        };
        server.setReuseAddr(true);
        server.start();
        Integer bound = port.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(bound, "the scripted server did not start");
        recovery = HeraldRecovery.create("key", new PusherOptions().setHost("127.0.0.1").setWsPort(bound).setUseTLS(false));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (recovery != null) {
            recovery.pusher().disconnect();
        }
        server.stop(1000);
    }

    @Test
    void everyReconnectionOfTheClientAsksForWhatItMissedAndHearsTheOutcomeFirst() throws Exception {
        Pusher pusher = recovery.pusher();
        recovery.addListener(new RecoveryListener() {
            @Override
            public void onRecovered(String channel, Position from) {
                heard.add("recovered " + channel + " from " + from.offset());
            }

            @Override
            public void onRecoveryFailed(String channel, Position from, Position current) {
                heard.add("failed " + channel + " from " + from.offset() + " now " + current.epoch() + "/" + current.offset());
            }
        });
        pusher.connect();
        pusher.subscribe("news").bind("update", event -> heard.add("update " + event.getData()));

        assertEquals(new JsonObject(), recoverAsked());
        WebSocket first = socket();
        first.send(succeeded("e1", 2, true));
        first.send(update("e1", 3));
        await().atMost(TIMEOUT).until(() -> heard.contains("update 3"));
        assertEquals(Optional.of(new Position("e1", 3)), recovery.position("news"));

        // 4200 is Pusher's "reconnect now": the client opens a new socket and resubscribes on its own.
        first.close(4200, "cut");
        assertEquals(new Position("e1", 3).toJson(), recoverAsked());
        WebSocket second = socket();
        second.send(succeeded("e1", 5, true));
        second.send(update("e1", 4));
        second.send(update("e1", 5));
        await().atMost(TIMEOUT).until(() -> heard.contains("update 5"));
        assertEquals(Optional.of(new Position("e1", 5)), recovery.position("news"));

        second.close(4200, "cut");
        assertEquals(new Position("e1", 5).toJson(), recoverAsked());
        socket().send(succeeded("e2", 1, false));
        await().atMost(TIMEOUT).until(() -> heard.size() >= 5);

        assertEquals(List.of("update 3", "recovered news from 3", "update 4", "update 5", "failed news from 5 now e2/1"), heard);
        assertEquals(Optional.of(new Position("e2", 1)), recovery.position("news"));
        assertEquals(ConnectionState.CONNECTED, pusher.getConnection().getState());
    }

    private JsonObject recoverAsked() throws InterruptedException {
        String frame = subscribes.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(frame, "the client sent no subscribe");
        return JsonParser.parseString(frame).getAsJsonObject().getAsJsonObject("data").getAsJsonObject("herald_recover");
    }

    private WebSocket socket() throws InterruptedException {
        WebSocket socket = sockets.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(socket, "the client did not connect");
        return socket;
    }

    private static String update(String epoch, long offset) {
        return "{\"event\":\"update\",\"channel\":\"news\",\"data\":\"" + offset + "\",\"herald\":{\"epoch\":\"" + epoch + "\",\"offset\":"
                + offset + "}}";
    }

    private static String succeeded(String epoch, long offset, boolean recovered) {
        return "{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"news\",\"data\":\"{}\",\"herald\":{\"epoch\":\""
                + epoch + "\",\"offset\":" + offset + ",\"recovered\":" + recovered + "}}";
    }
}
