package io.herald.gateway.protocol;

import static io.herald.local.TestSocket.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.local.TestSocket;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class WebSocketProtocolTest {

    @TestHTTPResource("/")
    URI root;

    @jakarta.inject.Inject
    ActivityMonitor activity;

    @jakarta.inject.Inject
    SigninDeadline signinDeadline;

    @jakarta.inject.Inject
    GatewayCapacity capacity;

    @jakarta.inject.Inject
    io.herald.gateway.fanout.LocalSubscriptions subscriptions;

    private TestSocket connect(String key, String query) throws Exception {
        return TestSocket.open(URI.create(root.toString().replaceFirst("^http", "ws") + "app/" + key + query));
    }

    private TestSocket connected(String query) throws Exception {
        TestSocket socket = connect("herald-key", query);
        assertEquals("pusher:connection_established", socket.next().getString("event"));
        return socket;
    }

    @Test
    void handshakeGivesAPusherSocketIdAndActivityTimeout() throws Exception {
        try (TestSocket first = connect("herald-key", "?protocol=7&client=js&version=8.6.0&flash=false");
                TestSocket second = connect("herald-key", "?protocol=7")) {
            JsonObject frame = first.next();
            assertEquals("pusher:connection_established", frame.getString("event"));
            String socketId = data(frame).getString("socket_id");
            assertTrue(socketId.matches("^\\d+\\.\\d+$"), socketId);
            assertTrue(data(frame).getInteger("activity_timeout") > 0);
            assertNotEquals(socketId, data(second.next()).getString("socket_id"));
        }
    }

    @Test
    void acceptsTheProtocol5ThatPusherJavaClientAnnounces() throws Exception {
        try (TestSocket socket = connected("?client=java-client&protocol=5&version=2.4.4")) {
            socket.send("{\"event\": \"pusher:ping\"}");
            assertEquals("pusher:pong", socket.next().getString("event"));
        }
    }

    @Test
    void refusesAnUnknownAppKeyWith4001() throws Exception {
        try (TestSocket socket = connect("no-such-key", "?protocol=7")) {
            JsonObject frame = socket.next();
            assertEquals("pusher:error", frame.getString("event"));
            assertEquals(4001, data(frame).getInteger("code"));
            assertEquals(4001, socket.awaitCloseCode());
        }
    }

    @Test
    void refusesProtocolsItDoesNotSpeakWith4007() throws Exception {
        try (TestSocket socket = connect("herald-key", "?protocol=4")) {
            assertEquals(4007, data(socket.next()).getInteger("code"));
            assertEquals(4007, socket.awaitCloseCode());
        }
    }

    @Test
    void answersMalformedFramesWithAnErrorAndStaysUsable() throws Exception {
        try (TestSocket socket = connected("?protocol=7")) {
            for (String bad : new String[] {"{not json", "[1,2]", "{\"event\":42}", "{\"data\":{}}", "\"just a string\""}) {
                socket.send(bad);
                JsonObject error = socket.next();
                assertEquals("pusher:error", error.getString("event"), bad);
                assertTrue(data(error).getString("message").startsWith("Malformed frame"), bad);
            }
            socket.sendBinary(new byte[] {1, 2, 3});
            assertEquals("pusher:error", socket.next().getString("event"));
            socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"bad channel!\"}}");
            assertEquals("pusher:error", socket.next().getString("event"));
            socket.send("{\"event\":\"pusher:no-such-thing\",\"data\":{}}");
            assertEquals("pusher:error", socket.next().getString("event"));

            socket.send("{\"event\":\"pusher:ping\",\"data\":{}}");
            JsonObject pong = socket.next();
            assertEquals("pusher:pong", pong.getString("event"));
            assertEquals("{}", pong.getString("data"));
        }
    }

    @Test
    void subscribesToPublicChannelsOnceAndSaysSo() throws Exception {
        try (TestSocket socket = connected("?protocol=7")) {
            socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"news\"}}");
            JsonObject succeeded = socket.next();
            assertEquals("pusher_internal:subscription_succeeded", succeeded.getString("event"));
            assertEquals("news", succeeded.getString("channel"));
            assertEquals("{}", succeeded.getString("data"));

            socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"news\"}}");
            assertTrue(data(socket.next()).getString("message").startsWith("Existing subscription"));

            socket.send("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"news\"}}");
            socket.send("{\"event\":\"pusher:subscribe\",\"data\":\"{\\\"channel\\\":\\\"news\\\"}\"}");
            assertEquals("pusher_internal:subscription_succeeded", socket.next().getString("event"));
        }
    }

    @Test
    void privateChannelsNeedTheRightSignatureAndTellWhyOnTheChannel() throws Exception {
        try (TestSocket socket = connect("herald-key", "?protocol=7")) {
            String socketId = data(socket.next()).getString("socket_id");
            socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"private-a\",\"auth\":\"herald-key:00ff\"}}");
            JsonObject refused = socket.next();
            assertEquals("pusher:subscription_error", refused.getString("event"));
            assertEquals("private-a", refused.getString("channel"));
            assertEquals(401, data(refused).getInteger("status"));
            assertTrue(data(refused).getString("error").contains(socketId + ":private-a"));

            socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"private-a\"}}");
            assertEquals("pusher:subscription_error", socket.next().getString("event"));

            String auth = new JsonObject(new com.pusher.rest.Pusher("1", "herald-key", "herald-secret")
                    .authenticate(socketId, "private-a")).getString("auth");
            socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"private-a\",\"auth\":\"" + auth + "\"}}");
            assertEquals("pusher_internal:subscription_succeeded", socket.next().getString("event"));
        }
    }

    @Test
    void clientEventsAreRefusedWith4301OutsidePrivateChannelsOrBeforeSubscribing() throws Exception {
        try (TestSocket socket = connected("?protocol=7")) {
            socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"open\"}}");
            socket.next();
            socket.send("{\"event\":\"client-hi\",\"channel\":\"open\",\"data\":{}}");
            JsonObject error = socket.next();
            assertEquals(4301, data(error).getInteger("code"));
            assertTrue(data(error).getString("message").contains("private and presence"));

            socket.send("{\"event\":\"client-hi\",\"channel\":\"private-not-joined\",\"data\":{}}");
            assertTrue(data(socket.next()).getString("message").contains("subscribe to private-not-joined"));

            socket.send("{\"event\":\"pusher:ping\"}");
            assertEquals("pusher:pong", socket.next().getString("event"));
        }
    }

    @Test
    void presenceSubscriptionsNeedSignedChannelDataNamingAUser() throws Exception {
        try (TestSocket socket = connect("herald-key", "?protocol=7")) {
            String socketId = data(socket.next()).getString("socket_id");
            socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"presence-r\",\"auth\":\"herald-key:00\"}}");
            JsonObject missing = socket.next();
            assertEquals("pusher:subscription_error", missing.getString("event"));
            assertTrue(data(missing).getString("error").contains("channel_data"));

            String noUser = "{\"user_info\":{}}";
            String auth = "herald-key:" + com.pusher.rest.SignatureUtil.sign(socketId + ":presence-r:" + noUser, "herald-secret");
            socket.send("pusher:subscribe", new JsonObject()
                    .put("channel", "presence-r").put("auth", auth).put("channel_data", noUser));
            JsonObject invalid = socket.next();
            assertEquals(400, data(invalid).getInteger("status"));
            assertTrue(data(invalid).getString("error").contains("user_id"));

            String tampered = "{\"user_id\":\"someone-else\"}";
            socket.send("pusher:subscribe", new JsonObject()
                    .put("channel", "presence-r").put("auth", auth).put("channel_data", tampered));
            assertEquals(401, data(socket.next()).getInteger("status"));
        }
    }

    @Test
    void signinVouchesForAUserWhoAloneMaySubscribeToTheirServerToUserChannel() throws Exception {
        try (TestSocket socket = connect("herald-key", "?protocol=7")) {
            String socketId = data(socket.next()).getString("socket_id");
            socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"#server-to-user-42\"}}");
            assertEquals(403, data(socket.next()).getInteger("status"), "not signed in yet");

            String userData = "{\"id\":\"42\",\"user_info\":{\"name\":\"Ann\"}}";
            socket.send("pusher:signin", new JsonObject()
                    .put("auth", "herald-key:" + "0".repeat(64)).put("user_data", userData));
            JsonObject refused = socket.next();
            assertEquals("pusher:error", refused.getString("event"));
            assertEquals(4009, data(refused).getInteger("code"));

            String auth = "herald-key:" + com.pusher.rest.SignatureUtil.sign(socketId + "::user::" + userData, "herald-secret");
            socket.send("pusher:signin", new JsonObject()
                    .put("auth", auth).put("user_data", userData));
            JsonObject success = socket.next();
            assertEquals("pusher:signin_success", success.getString("event"));
            assertEquals(userData, data(success).getString("user_data"));

            socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"#server-to-user-7\"}}");
            assertEquals(403, data(socket.next()).getInteger("status"), "someone else's channel");
            socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"#server-to-user-42\"}}");
            JsonObject subscribed = socket.next();
            assertEquals("pusher_internal:subscription_succeeded", subscribed.getString("event"));
            assertEquals("#server-to-user-42", subscribed.getString("channel"));
        }
    }

    @Test
    void anAppWithUserAuthenticationClosesConnectionsThatDoNotSignInWithin30SecondsWith4009() throws Exception {
        try (TestSocket anonymous = connect("signin-key", "?protocol=7"); TestSocket user = connect("signin-key", "?protocol=7")) {
            anonymous.next();
            String socketId = data(user.next()).getString("socket_id");
            String userData = "{\"id\":\"42\"}";
            String auth = "signin-key:" + com.pusher.rest.SignatureUtil.sign(socketId + "::user::" + userData, "signin-secret");
            user.send("pusher:signin", new JsonObject().put("auth", auth).put("user_data", userData));
            assertEquals("pusher:signin_success", user.next().getString("event"));

            signinDeadline.sweep(System.currentTimeMillis() + 29_000);
            anonymous.send("{\"event\":\"pusher:ping\"}");
            assertEquals("pusher:pong", anonymous.next().getString("event"), "still within the timeout");

            signinDeadline.sweep(System.currentTimeMillis() + 31_000);
            JsonObject error = anonymous.next();
            assertEquals(4009, data(error).getInteger("code"));
            assertEquals(4009, anonymous.awaitCloseCode());
            user.send("{\"event\":\"pusher:ping\"}");
            assertEquals("pusher:pong", user.next().getString("event"), "the signed-in connection stays");
        }
    }

    @Test
    void silentConnectionsArePingedThenClosedWith4201WhileAnsweringOnesStay() throws Exception {
        try (TestSocket silent = connected("?protocol=7"); TestSocket lively = connected("?protocol=7")) {
            long later = System.currentTimeMillis() + 121_000;
            activity.sweep(later);
            assertEquals("pusher:ping", silent.next().getString("event"));
            assertEquals("pusher:ping", lively.next().getString("event"));
            lively.send("{\"event\":\"pusher:pong\",\"data\":{}}");
            lively.send("{\"event\":\"pusher:ping\"}");
            assertEquals("pusher:pong", lively.next().getString("event"));

            activity.sweep(later + 31_000);
            JsonObject error = silent.next();
            assertEquals(4201, data(error).getInteger("code"));
            assertEquals(4201, silent.awaitCloseCode());
            // Seen from the late sweep it is silent again, so it is pinged again, but not closed.
            assertEquals("pusher:ping", lively.next().getString("event"));
            lively.send("{\"event\":\"pusher:ping\"}");
            assertEquals("pusher:pong", lively.next().getString("event"), "the answering connection stays");
        }
    }

    @Test
    void appsAreIsolatedEvenOnChannelsOfTheSameName() throws Exception {
        try (TestSocket first = connected("?protocol=7"); TestSocket second = connect("other-key", "?protocol=7")) {
            assertEquals("pusher:connection_established", second.next().getString("event"));
            for (TestSocket socket : new TestSocket[] {first, second}) {
                socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"shared-name\"}}");
                assertEquals("pusher_internal:subscription_succeeded", socket.next().getString("event"));
            }
            subscriptions.deliver(new io.herald.streams.Delivery(
                    new io.herald.streams.Publication("2", "shared-name", "for-app-2", "{}", null),
                    new io.herald.streams.StreamOffset(System.currentTimeMillis(), 0)));
            assertEquals("for-app-2", second.next().getString("event"));
            first.send("{\"event\":\"pusher:ping\"}");
            assertEquals("pusher:pong", first.next().getString("event"), "app 1 got nothing of app 2's channel");

            second.send("{\"event\":\"client-x\",\"channel\":\"private-y\",\"data\":{}}");
            assertTrue(data(second.next()).getString("message").contains("not enabled"), "app 2 has client events off");
        }
    }

    @Test
    void aFrameOverTheLimitClosesOnlyThatConnection() throws Exception {
        try (TestSocket offender = connected("?protocol=7"); TestSocket bystander = connected("?protocol=7")) {
            offender.send("{\"event\":\"pusher:ping\",\"data\":\"" + "x".repeat(70 * 1024) + "\"}");
            assertEquals(1009, offender.awaitCloseCode());
            bystander.send("{\"event\":\"pusher:ping\"}");
            assertEquals("pusher:pong", bystander.next().getString("event"));
        }
    }

    @Test
    void aMessageFragmentedPastTheLimitClosesOnlyThatConnectionWith1009() throws Exception {
        try (TestSocket offender = connected("?protocol=7"); TestSocket bystander = connected("?protocol=7")) {
            String part = "x".repeat(40 * 1024);
            offender.sendFragments("{\"event\":\"pusher:ping\",\"data\":\"" + part, part, "\"}");
            assertEquals(1009, offender.awaitCloseCode());
            bystander.assertStillServed("other connections are not affected");
        }
    }

    @Test
    void aFailureInsideTheGatewayIsAnErrorFrameNotA1009CloseAndTheConnectionStays() throws Exception {
        QuarkusMock.installMockForType(new ChannelSubscriptions() {
            @Override
            void subscribe(PusherConnection connection, JsonObject data) {
                throw new IllegalStateException("a state Herald did not expect");
            }
        }, ChannelSubscriptions.class);
        try (TestSocket socket = connected("?protocol=7")) {
            socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"news\"}}");
            JsonObject error = socket.next();
            assertEquals("pusher:error", error.getString("event"));
            assertTrue(data(error).getString("message").startsWith("Internal error"), error.encode());
            socket.assertStillServed("the connection stays");
        }
    }

    @Test
    void aSigninWhoseUserInfoIsOver1KbIsRefusedWith4009AsPresenceRefusesIt() throws Exception {
        try (TestSocket socket = connect("herald-key", "?protocol=7")) {
            String socketId = data(socket.next()).getString("socket_id");
            String userData = new JsonObject().put("id", "big")
                    .put("user_info", new JsonObject().put("bio", "x".repeat(1100))).encode();
            socket.send("pusher:signin", new JsonObject().put("user_data", userData)
                    .put("auth", "herald-key:" + com.pusher.rest.SignatureUtil.sign(socketId + "::user::" + userData, "herald-secret")));
            JsonObject refused = socket.next();
            assertEquals("pusher:error", refused.getString("event"));
            assertEquals(4009, data(refused).getInteger("code"));
            assertTrue(data(refused).getString("message").contains("user_info"), refused.encode());

            String longId = new JsonObject().put("id", "i".repeat(129)).encode();
            socket.send("pusher:signin", new JsonObject().put("user_data", longId)
                    .put("auth", "herald-key:" + com.pusher.rest.SignatureUtil.sign(socketId + "::user::" + longId, "herald-secret")));
            assertEquals(4009, data(socket.next()).getInteger("code"), "a user id presence would refuse");

            socket.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"#server-to-user-big\"}}");
            assertEquals(403, data(socket.next()).getInteger("status"), "not signed in");
        }
    }

    @Test
    void aGatewayAtCapacityRefusesNewConnectionsWith4100() throws Exception {
        try (TestSocket first = connected("?protocol=7")) {
            capacity.maxConnections = 1;
            try (TestSocket refused = connect("herald-key", "?protocol=7")) {
                assertEquals(4100, data(refused.next()).getInteger("code"));
                assertEquals(4100, refused.awaitCloseCode());
            } finally {
                capacity.maxConnections = 0;
            }
            first.send("{\"event\":\"pusher:ping\"}");
            assertEquals("pusher:pong", first.next().getString("event"), "connections already held stay");
        }
    }

    @Test
    void anAppOverItsConnectionQuotaIsRefusedWith4004() throws Exception {
        try (TestSocket first = connect("quota-key", "?protocol=7"); TestSocket second = connect("quota-key", "?protocol=7")) {
            assertEquals("pusher:connection_established", first.next().getString("event"));
            assertEquals("pusher:connection_established", second.next().getString("event"));
            try (TestSocket third = connect("quota-key", "?protocol=7")) {
                assertEquals(4004, data(third.next()).getInteger("code"));
                assertEquals(4004, third.awaitCloseCode());
            }
            try (TestSocket otherApp = connected("?protocol=7")) {
                otherApp.send("{\"event\":\"pusher:ping\"}");
                assertEquals("pusher:pong", otherApp.next().getString("event"), "the quota is per app");
            }
        }
    }

    @Test
    void aWatchlistOverAHundredIdsIsCutWith4302AfterTheSignin() throws Exception {
        try (TestSocket socket = connect("herald-key", "?protocol=7")) {
            String socketId = data(socket.next()).getString("socket_id");
            io.vertx.core.json.JsonArray watchlist = new io.vertx.core.json.JsonArray();
            for (int i = 0; i < 101; i++) {
                watchlist.add("user-" + i);
            }
            String userData = new JsonObject().put("id", "watcher").put("watchlist", watchlist).encode();
            String auth = "herald-key:" + com.pusher.rest.SignatureUtil.sign(socketId + "::user::" + userData, "herald-secret");
            socket.send("pusher:signin", new JsonObject()
                    .put("auth", auth).put("user_data", userData));
            assertEquals("pusher:signin_success", socket.next().getString("event"));
            JsonObject limit = socket.next();
            assertEquals(4302, data(limit).getInteger("code"));
            socket.send("{\"event\":\"pusher:ping\"}");
            assertEquals("pusher:pong", socket.next().getString("event"), "the connection stays");
        }
    }
}
