package io.herald.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.herald.gateway.protocol.ConnectionRow;
import io.vertx.core.json.JsonObject;

class ConnectionSnapshotTest {

    private static final ConnectionSnapshot SNAPSHOT = new ConnectionSnapshot("gateway-1@a1b2c3", 1_700_000_000_123L, 3, 42,
            List.of(new ConnectionRow("123.456", "alice", "10.0.0.7", List.of("presence-room", "private-x"), 1_700_000_000_000L),
                    new ConnectionRow("124.456", null, "10.0.0.8", List.of(), 1_700_000_000_050L)));

    @Test
    void aSnapshotReadsBackAsItWasWritten() {
        assertEquals(SNAPSHOT, ConnectionSnapshot.decode(SNAPSHOT.encode()));
    }

    @Test
    void theBrowserGetsEachRowWithItsGateway() {
        JsonObject browser = SNAPSHOT.toBrowser();
        assertEquals(3, browser.getInteger("count"));
        assertEquals(42L, browser.getLong("deliveries"));
        JsonObject first = browser.getJsonArray("connections").getJsonObject(0);
        assertEquals("gateway-1@a1b2c3", first.getString("gateway"));
        assertEquals("123.456", first.getString("socket_id"));
        assertEquals("alice", first.getString("user"));
        assertEquals(List.of("presence-room", "private-x"), first.getJsonArray("channels").getList());
        assertNull(browser.getJsonArray("connections").getJsonObject(1).getString("user"));
    }

    @Test
    void textThatIsNoSnapshotIsRefusedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> ConnectionSnapshot.decode("{\"gateway\":\"g\"}"));
        assertThrows(IllegalArgumentException.class, () -> ConnectionSnapshot.decode("not json"));
    }
}
