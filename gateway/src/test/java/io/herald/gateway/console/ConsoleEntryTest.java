package io.herald.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ConsoleEntryTest {

    @Test
    void anEntryKeepsItsFieldsAndLeavesOutTheMissingOnes() {
        Map<String, String> fields = ConsoleEntry.of(ConsoleEntry.DISCONNECT, "gateway-2@x", 1234).with("socket_id", "1.2")
                .with("code", 4200).with("user_id", null).fields();
        assertEquals(Map.of("type", "disconnect", "gateway", "gateway-2@x", "at", "1234", "socket_id", "1.2", "code", "4200"),
                fields);
        assertFalse(fields.containsKey("user_id"));
    }

    @Test
    void longDataIsCutForTheLog() {
        String data = "x".repeat(ConsoleEntry.MAX_DATA_CHARS + 500);
        String kept = ConsoleEntry.of(ConsoleEntry.PUBLISH, "g", 1).with("data", data).fields().get("data");
        assertEquals("x".repeat(ConsoleEntry.MAX_DATA_CHARS) + "\u2026", kept);
    }
}
