package io.herald.recovery.pusher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pusher.client.PusherOptions;
import com.pusher.client.user.impl.message.SigninMessage;

/** The device id: checked as Herald checks it, and added to the sign-in pusher-java-client builds. */
class DeviceSigninTest {

    private static final String USER_DATA = "{\"id\":\"ann\",\"user_info\":{\"name\":\"O'Brien & <co>\"}}";

    @Test
    void theSigninTheClientBuildsNamesTheDeviceAndKeepsItsSignedFieldsAsTheyWere() {
        // As InternalUser serializes it.
        String signin = new Gson().toJson(new SigninMessage("key:signature", USER_DATA));

        JsonObject sent = JsonParser.parseString(new DeviceSignin("phone-1").outgoing(signin)).getAsJsonObject();

        assertEquals("pusher:signin", sent.get("event").getAsString());
        JsonObject data = sent.getAsJsonObject("data");
        assertEquals("phone-1", data.get("herald_device").getAsString());
        assertEquals("key:signature", data.get("auth").getAsString());
        assertEquals(USER_DATA, data.get("user_data").getAsString());
    }

    @Test
    void framesOtherThanSigninsLeaveAsTheyCame() {
        String clientEvent = "{\"event\":\"client-note\",\"channel\":\"private-room\",\"data\":{\"text\":\"pusher:signin\"}}";
        String subscribe = "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"#server-to-user-ann\"}}";
        DeviceSignin device = new DeviceSignin("phone-1");

        assertSame(clientEvent, device.outgoing(clientEvent));
        assertSame(subscribe, device.outgoing(subscribe));
    }

    @Test
    void aDeviceIdHeraldWouldRefuseFailsWhenTheHelperIsBuilt() {
        HeraldRecovery.Builder builder = HeraldRecovery.builder("key", new PusherOptions());

        for (String refused : new String[] {"", "no spaces", "slash/ed", "é", "x".repeat(129)}) {
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> builder.device(refused), refused);
            assertTrue(thrown.getMessage().contains("A-Za-z0-9_.:-"), thrown.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> builder.device(null));
        builder.device("A-z_0.9:" + "x".repeat(120));
    }

    @Test
    void ackNeedsADeviceAndTheUsersChannel() {
        Position position = new Position("e1", 1);

        assertThrows(IllegalStateException.class,
                () -> HeraldRecovery.create("key", new PusherOptions()).ack("#server-to-user-ann", position));
        HeraldRecovery withDevice = HeraldRecovery.builder("key", new PusherOptions()).device("phone-1").autoAck(false).build();
        assertThrows(IllegalArgumentException.class, () -> withDevice.ack("news", position));
        withDevice.ack("#server-to-user-ann", position);
    }

    @Test
    void aDevicesUserChannelStaysWhereItWasUntilTheUnacknowledgedEventsArrive() {
        ChannelPositions positions = new ChannelPositions(true);
        positions.outgoing("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"#server-to-user-ann\"}}");

        positions.incoming("{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"#server-to-user-ann\",\"data\":\"{}\","
                + "\"herald\":{\"epoch\":\"e1\",\"offset\":9,\"recovered\":true}}");
        // A cut now must not ask to recover from 9: Herald would skip what the device has not acknowledged.
        assertEquals(Optional.empty(), positions.position("#server-to-user-ann"));

        positions.incoming("{\"event\":\"s\",\"channel\":\"#server-to-user-ann\",\"data\":\"{}\",\"herald\":{\"epoch\":\"e1\",\"offset\":4}}");
        assertEquals(Optional.of(new Position("e1", 4)), positions.position("#server-to-user-ann"));
    }
}
