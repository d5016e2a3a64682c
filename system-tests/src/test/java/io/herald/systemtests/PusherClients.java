package io.herald.systemtests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.channel.ChannelEventListener;
import com.pusher.client.channel.PrivateChannel;
import com.pusher.client.channel.PrivateChannelEventListener;
import com.pusher.client.channel.PusherEvent;

import io.herald.local.AppCredentials;
import io.herald.local.NodeProcess;
import io.herald.recovery.pusher.HeraldRecovery;
import io.vertx.core.json.JsonObject;

/** The official Pusher clients, pointed at the gateways of a local cluster. */
final class PusherClients {

    static final AppCredentials APP = AppCredentials.DEFAULT;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private PusherClients() {
    }

    /** What one client received on each channel, in arrival order, with arrival times. */
    record Received(Map<String, List<String>> data, Map<String, List<Long>> arrivalNanos) {

        int total() {
            return data.values().stream().mapToInt(List::size).sum();
        }
    }

    static Pusher client(NodeProcess gateway) {
        return client(gateway, APP);
    }

    static Pusher client(NodeProcess gateway, AppCredentials app) {
        return new Pusher(app.key(), options(gateway));
    }

    /**
     * pusher-java-client with Herald's recovery helper, for the given app, signing private
     * subscriptions with its secret. It retries a lost connection every 2 s (at most) for 2 minutes,
     * where pusher-java-client's defaults stop after 6 attempts spread over 85 s, so a test that
     * restarts a gateway waits for the gateway rather than for the client's back-off.
     */
    static HeraldRecovery recoveringClient(NodeProcess gateway, AppCredentials app) {
        com.pusher.rest.Pusher signer = new com.pusher.rest.Pusher(app.id(), app.key(), app.secret());
        return HeraldRecovery.create(app.key(), options(gateway).setMaxReconnectGapInSeconds(2).setMaxReconnectionAttempts(60)
                .setChannelAuthorizer((channel, socketId) -> signer.authenticate(socketId, channel)));
    }

    /**
     * pusher-java-client with Herald's recovery helper and a device id, signing in as the user as an
     * app's auth endpoint would (user_data {"id": user}, signed with the app's secret).
     */
    static HeraldRecovery deviceClient(NodeProcess gateway, String user, String device, boolean autoAck) {
        String userData = "{\"id\":\"" + user + "\"}";
        PusherOptions options = options(gateway).setUserAuthenticator(socketId -> new JsonObject()
                .put("auth", APP.key() + ":" + hmac(socketId + "::user::" + userData)).put("user_data", userData).encode());
        return HeraldRecovery.builder(APP.key(), options).device(device).autoAck(autoAck).build();
    }

    /** HMAC-SHA256 with the app's secret, hex: how an app's backend signs. */
    private static String hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(APP.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * A client whose channel authorizer signs with the given secret, as an app's auth endpoint
     * would with pusher-http-java.
     */
    static Pusher authorizedClient(NodeProcess gateway, String secret) {
        com.pusher.rest.Pusher signer = new com.pusher.rest.Pusher(APP.id(), APP.key(), secret);
        return new Pusher(APP.key(), options(gateway).setChannelAuthorizer((channel, socketId) -> signer.authenticate(socketId, channel)));
    }

    /** A client whose authorizer signs presence subscriptions for the given user, as pusher-http-java does. */
    static Pusher presenceClient(NodeProcess gateway, String userId) {
        com.pusher.rest.Pusher signer = new com.pusher.rest.Pusher(APP.id(), APP.key(), APP.secret());
        com.pusher.rest.data.PresenceUser user = new com.pusher.rest.data.PresenceUser(userId, Map.of("name", "User " + userId));
        return new Pusher(APP.key(), options(gateway).setChannelAuthorizer(
                (channel, socketId) -> signer.authenticate(socketId, channel, user)));
    }

    private static PusherOptions options(NodeProcess gateway) {
        return new PusherOptions().setHost("127.0.0.1").setWsPort(gateway.httpPort()).setUseTLS(false);
    }

    /** The REST SDK with data passed through untouched, so tests control the exact string. */
    static com.pusher.rest.Pusher publisher(NodeProcess gateway) {
        return publisher(gateway, APP);
    }

    static com.pusher.rest.Pusher publisher(NodeProcess gateway, AppCredentials app) {
        com.pusher.rest.Pusher pusher = new com.pusher.rest.Pusher(app.id(), app.key(), app.secret());
        pusher.setHost("127.0.0.1:" + gateway.httpPort());
        pusher.setEncrypted(false);
        pusher.setDataMarshaller(data -> (String) data);
        return pusher;
    }

    /** Connects, subscribes to every channel and returns once every subscription succeeded. */
    static Received subscribe(Pusher client, List<String> channels, String... events) throws InterruptedException {
        Map<String, List<String>> data = new ConcurrentHashMap<>();
        Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
        CountDownLatch subscribed = new CountDownLatch(channels.size());
        client.connect();
        for (String channel : channels) {
            data.put(channel, Collections.synchronizedList(new ArrayList<>()));
            arrivals.put(channel, Collections.synchronizedList(new ArrayList<>()));
            client.subscribe(channel, new ChannelEventListener() {
                @Override
                public void onSubscriptionSucceeded(String channelName) {
                    subscribed.countDown();
                }

                @Override
                public void onEvent(PusherEvent pusherEvent) {
                    arrivals.get(pusherEvent.getChannelName()).add(System.nanoTime());
                    data.get(pusherEvent.getChannelName()).add(pusherEvent.getData());
                }
            }, events);
        }
        assertTrue(subscribed.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "subscriptions did not succeed");
        return new Received(data, arrivals);
    }

    /**
     * Subscribes a connected (or connecting) client to a private channel and returns once that
     * succeeded; what arrives goes to {@code received} as {@code "event data"}, an authorization
     * failure to {@code errors}.
     */
    static PrivateChannel subscribePrivate(Pusher client, String channel, List<String> received, List<String> errors,
            String... events) throws InterruptedException {
        CountDownLatch subscribed = new CountDownLatch(1);
        PrivateChannel subscription = client.subscribePrivate(channel, new PrivateChannelEventListener() {
            @Override
            public void onSubscriptionSucceeded(String channelName) {
                subscribed.countDown();
            }

            @Override
            public void onAuthenticationFailure(String message, Exception e) {
                errors.add("auth " + message);
            }

            @Override
            public void onEvent(PusherEvent event) {
                received.add(event.getEventName() + " " + event.getData());
            }
        }, events);
        assertTrue(subscribed.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "private subscription to " + channel + " did not succeed");
        return subscription;
    }

    /** Channel names no other test uses. */
    static List<String> channels(String prefix, int count) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            channels.add(prefix + "-" + run + "-" + i);
        }
        return channels;
    }
}
