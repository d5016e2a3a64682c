package io.herald.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

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
