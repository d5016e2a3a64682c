package io.herald.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.herald.streams.Position;
import io.vertx.core.json.JsonObject;

class FramesTest {

    @Test
    void relaysEventDataAsTheExactStringPublished() {
        String data = "{\"text\":\"line\\nbreak \\\"quoted\\\" ünïcode \\u2028\"}";
        JsonObject frame = new JsonObject(Frames.event("my-event", "my-channel", data));
        assertEquals("my-event", frame.getString("event"));
        assertEquals("my-channel", frame.getString("channel"));
        assertEquals(data, frame.getString("data"));
    }

    @Test
    void positionsTravelInTheirOwnTopLevelFieldBesideAnUnchangedPusherEvent() {
        JsonObject frame = new JsonObject(Frames.event("e", "c", "{\"a\":1}", "u1", new Position("q3k9zt", 42)));
        assertEquals("{\"a\":1}", frame.getString("data"));
        assertEquals("u1", frame.getString("user_id"));
        assertEquals(new JsonObject().put("epoch", "q3k9zt").put("offset", 42), frame.getJsonObject("herald"));

        JsonObject succeeded = new JsonObject(Frames.subscriptionSucceeded("c", "{}", new Position("q3k9zt", 0), false));
        assertEquals("pusher_internal:subscription_succeeded", succeeded.getString("event"));
        assertEquals("{}", succeeded.getString("data"));
        assertEquals(new JsonObject().put("epoch", "q3k9zt").put("offset", 0).put("recovered", false),
                succeeded.getJsonObject("herald"));
    }

    @Test
    void handshakeCarriesSocketIdAndActivityTimeoutInsideAStringData() {
        JsonObject frame = new JsonObject(Frames.connectionEstablished("123.456", 120));
        assertEquals("pusher:connection_established", frame.getString("event"));
        JsonObject data = new JsonObject(frame.getString("data"));
        assertEquals("123.456", data.getString("socket_id"));
        assertEquals(120, data.getInteger("activity_timeout"));
    }

    @Test
    void errorsCarryCodeAndMessage() {
        JsonObject data = new JsonObject(new JsonObject(Frames.error(4001, "No \"such\" app")).getString("data"));
        assertEquals(4001, data.getInteger("code"));
        assertEquals("No \"such\" app", data.getString("message"));
        JsonObject withoutCode = new JsonObject(new JsonObject(Frames.error(null, "bad")).getString("data"));
        assertEquals(true, withoutCode.containsKey("code"));
        assertEquals(null, withoutCode.getValue("code"));
    }

    @Test
    void pongAndSubscriptionSucceededAlwaysHaveData() {
        assertEquals("{}", new JsonObject(Frames.pong()).getString("data"));
        assertEquals("{}", new JsonObject(Frames.subscriptionSucceeded("c")).getString("data"));
    }
}
