package io.herald.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;

class XhrFramesTest {

    @Test
    void pusherFramesTravelAsJsonStringsInOneArrayLine() {
        String event = Frames.event("e", "c", "{\"text\":\"line\\nbreak \\\"q\\\" ünï \\u2028\"}");
        String line = XhrFrames.messages(List.of(Frames.pong(), event));
        assertEquals('a', line.charAt(0));
        assertEquals('\n', line.charAt(line.length() - 1));
        assertEquals(1, line.chars().filter(c -> c == '\n').count(), "a newline inside a frame would split the line");
        assertEquals(new JsonArray().add(Frames.pong()).add(event), new JsonArray(line.substring(1)));
    }

    @Test
    void noFramesMakeNoLine() {
        assertEquals("", XhrFrames.messages(List.of()));
    }

    @Test
    void aCloseLineCarriesTheCodeAndTheQuotedReason() {
        assertEquals("c[4200,\"Gateway \\\"a\\\" shutting down\"]\n", XhrFrames.close(4200, "Gateway \"a\" shutting down"));
        assertEquals(new JsonArray().add(4001).add(""), new JsonArray(XhrFrames.close(4001, null).substring(1)));
    }

    @Test
    void aSendBodyIsAnArrayOfFramesAsStringsAndAnEmptyArrayIsAPing() {
        assertEquals(List.of("{\"event\":\"pusher:ping\",\"data\":{}}"),
                XhrFrames.sent("[\"{\\\"event\\\":\\\"pusher:ping\\\",\\\"data\\\":{}}\"]"));
        assertEquals(List.of(), XhrFrames.sent("[]"));
    }

    @Test
    void aSendBodyThatIsNotAnArrayOfStringsIsRefusedWithTheReason() {
        assertEquals("Payload expected: a JSON array of frames as strings",
                assertThrows(IllegalArgumentException.class, () -> XhrFrames.sent("")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> XhrFrames.sent("{\"event\":\"pusher:ping\"}"));
        assertThrows(IllegalArgumentException.class, () -> XhrFrames.sent("[\"a\""));
        assertEquals("Each element must be a frame as a JSON string",
                assertThrows(IllegalArgumentException.class, () -> XhrFrames.sent("[{\"event\":\"x\"}]")).getMessage());
    }
}
