package io.herald.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class PusherFramesTest {

    /** The frame the gateway builds: the data relayed as a JSON string. */
    private static String eventFrame(String data) {
        return new JsonObject().put("event", PusherFrames.EVENT_NAME).put("channel", "bench-3").put("data", data).encode();
    }

    @Test
    void readsThePublishTimeBackFromTheRelayedFrame() {
        String data = PusherFrames.eventData(123_456_789_012L, 100);
        assertEquals(100, data.length());
        assertEquals(123_456_789_012L, new JsonObject(data).getLong("sent"));
        assertEquals(123_456_789_012L, PusherFrames.sentNanos(eventFrame(data)));
    }

    @Test
    void negativeNanoTimesSurvive() {
        assertEquals(-42L, PusherFrames.sentNanos(eventFrame(PusherFrames.eventData(-42L, 10))));
    }

    @Test
    void framesWithoutATimeAreRecognised() {
        assertEquals(PusherFrames.NO_TIME, PusherFrames.sentNanos(eventFrame("{\"hello\":\"world\"}")));
    }

    @Test
    void protocolFramesAreToldApartFromEvents() {
        assertTrue(PusherFrames.isProtocolFrame("{\"event\":\"pusher:connection_established\",\"data\":\"{}\"}"));
        assertTrue(PusherFrames.isProtocolFrame("{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"c\",\"data\":\"{}\"}"));
        assertFalse(PusherFrames.isProtocolFrame(eventFrame("x")));
    }

    @Test
    void subscribeFrameIsValidJson() {
        JsonObject frame = new JsonObject(PusherFrames.subscribe("bench-7"));
        assertEquals("pusher:subscribe", frame.getString("event"));
        assertEquals("bench-7", frame.getJsonObject("data").getString("channel"));
    }
}
