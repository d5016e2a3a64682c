package io.herald.recovery.pusher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pusher.client.PusherOptions;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.impl.ChannelImpl;
import com.pusher.client.channel.impl.PresenceChannelImpl;
import com.pusher.client.channel.impl.PrivateChannelImpl;
import com.pusher.client.connection.impl.InternalConnection;
import com.pusher.client.util.Factory;

/** The frames pusher-java-client itself builds, as the helper rewrites and reads them. */
class ChannelPositionsTest {

    private final Factory factory = new Factory();
    private final ChannelPositions positions = new ChannelPositions(false);

    @AfterEach
    void stopClientThreads() {
        factory.shutdownThreads();
    }

    @Test
    void aFirstSubscribeAsksToRecoverFromNothing() {
        JsonObject data = sentData(subscribe("news"));

        assertEquals("news", data.get("channel").getAsString());
        assertEquals(new JsonObject(), data.get("herald_recover"));
        assertEquals(Optional.empty(), positions.position("news"));
    }

    @Test
    void aFreshSubscriptionStartsWhereTheChannelStands() {
        subscribe("news");

        assertEquals(Optional.empty(), positions.incoming(succeeded("news", "e1", 7, true)));
        assertEquals(Optional.of(new Position("e1", 7)), positions.position("news"));
    }

    @Test
    void aResubscribeAsksForWhatCameAfterTheLastEventSeen() {
        subscribe("news");
        positions.incoming(succeeded("news", "e1", 3, true));
        positions.incoming(event("news", "e1", 4));
        positions.incoming(event("news", "e1", 5));

        JsonObject recover = sentData(subscribe("news")).getAsJsonObject("herald_recover");

        assertEquals("e1", recover.get("epoch").getAsString());
        assertEquals(5, recover.get("offset").getAsLong());
    }

    @Test
    void aRecoveredSubscriptionMovesOnlyAsTheMissedEventsArrive() {
        subscribe("news");
        positions.incoming(event("news", "e1", 5));
        subscribe("news");

        Optional<ChannelPositions.Outcome> outcome = positions.incoming(succeeded("news", "e1", 9, true));

        assertEquals(Optional.of(new ChannelPositions.Outcome("news", new Position("e1", 5), new Position("e1", 9), true)), outcome);
        // A cut now must ask again from 5, or events 6 to 9 would be lost.
        assertEquals(Optional.of(new Position("e1", 5)), positions.position("news"));
        positions.incoming(event("news", "e1", 6));
        assertEquals(Optional.of(new Position("e1", 6)), positions.position("news"));
    }

    @Test
    void aFailedRecoveryIsReportedAndTheChannelStartsAgainWhereItStands() {
        subscribe("news");
        positions.incoming(event("news", "e1", 5));
        subscribe("news");

        Optional<ChannelPositions.Outcome> outcome = positions.incoming(succeeded("news", "e2", 40, false));

        assertEquals(Optional.of(new ChannelPositions.Outcome("news", new Position("e1", 5), new Position("e2", 40), false)), outcome);
        assertEquals(Optional.of(new Position("e2", 40)), positions.position("news"));
        assertEquals(40, sentData(subscribe("news")).getAsJsonObject("herald_recover").get("offset").getAsLong());
    }

    @Test
    void aPositionKeptFromAnEarlierRunIsWhereTheFirstSubscribeRecoversFrom() {
        positions.resumeFrom("news", new Position("e1", 12));

        assertEquals(new Position("e1", 12).toJson(), sentData(subscribe("news")).get("herald_recover"));
        assertEquals(Optional.of(new ChannelPositions.Outcome("news", new Position("e1", 12), new Position("e1", 15), true)),
                positions.incoming(succeeded("news", "e1", 15, true)));
    }

    @Test
    void privateAndPresenceSubscribesKeepTheirAuthorizationAsSigned() {
        InternalConnection connection = factory.getConnection("key", new PusherOptions(), event -> {
        });
        String channelData = "{\"user_id\":\"u<1>\",\"user_info\":{\"name\":\"O'Brien & \\\"co\\\"\"}}";
        PrivateChannelImpl privateChannel = new PrivateChannelImpl(connection, "private-room",
                (channel, socketId) -> "{\"auth\":\"key:signature\"}", factory);
        PresenceChannelImpl presenceChannel = new PresenceChannelImpl(connection, "presence-room",
                (channel, socketId) -> "{\"auth\":\"key:signature\",\"channel_data\":" + new Gson().toJson(channelData) + "}", factory);

        JsonObject privateData = sentData(positions.outgoing(privateChannel.toSubscribeMessage()));
        JsonObject presenceData = sentData(positions.outgoing(presenceChannel.toSubscribeMessage()));

        assertEquals("key:signature", privateData.get("auth").getAsString());
        assertEquals(new JsonObject(), privateData.get("herald_recover"));
        assertEquals("key:signature", presenceData.get("auth").getAsString());
        assertEquals(channelData, presenceData.get("channel_data").getAsString());
        assertEquals(new JsonObject(), presenceData.get("herald_recover"));
    }

    @Test
    void anUnsubscribeForgetsTheChannelSoTheNextSubscribeStartsAfresh() {
        subscribe("news");
        positions.incoming(event("news", "e1", 5));

        positions.outgoing(new ChannelImpl("news", factory).toUnsubscribeMessage());

        assertEquals(Optional.empty(), positions.position("news"));
        assertEquals(new JsonObject(), sentData(subscribe("news")).get("herald_recover"));
    }

    @Test
    void framesOfChannelsNotSubscribedMoveNothing() {
        positions.incoming(event("elsewhere", "e1", 5));

        assertEquals(Optional.empty(), positions.position("elsewhere"));
        assertEquals(new JsonObject(), sentData(subscribe("elsewhere")).get("herald_recover"));
    }

    @Test
    void framesWithoutAValidPositionMoveNothing() {
        subscribe("news");
        positions.incoming(event("news", "e1", 5));

        positions.incoming("{\"event\":\"e\",\"channel\":\"news\",\"data\":\"{}\",\"herald\":{\"epoch\":\"e1\",\"offset\":-1}}");
        positions.incoming("{\"event\":\"e\",\"channel\":\"news\",\"data\":\"{}\",\"herald\":{\"epoch\":\"e1\",\"offset\":\"6\"}}");
        positions.incoming("{\"event\":\"e\",\"channel\":\"news\",\"data\":\"{}\",\"herald\":{\"epoch\":7,\"offset\":6}}");
        positions.incoming("{\"event\":\"e\",\"channel\":\"news\",\"data\":\"{\\\"herald\\\":{\\\"epoch\\\":\\\"x\\\",\\\"offset\\\":9}}\"}");
        positions.incoming("not json \"herald\"");

        assertEquals(Optional.of(new Position("e1", 5)), positions.position("news"));
    }

    @Test
    void framesOtherThanSubscribesLeaveAsTheyCame() {
        String clientEvent = "{\"event\":\"client-typing\",\"channel\":\"private-room\",\"data\":{\"text\":\"pusher:subscribe\"}}";
        String ping = "{\"event\":\"pusher:ping\",\"data\":{}}";

        assertSame(clientEvent, positions.outgoing(clientEvent));
        assertSame(ping, positions.outgoing(ping));
    }

    @Test
    void anEventsPositionIsReadFromTheEventTheClientHandsOut() {
        assertEquals(Optional.of(new Position("e1", 42)),
                Position.of(PusherEvent.fromJson(event("news", "e1", 42))));
        assertTrue(Position.of(PusherEvent.fromJson("{\"event\":\"e\",\"channel\":\"news\",\"data\":\"{}\"}")).isEmpty());
    }

    private String subscribe(String channel) {
        return positions.outgoing(new ChannelImpl(channel, factory).toSubscribeMessage());
    }

    private static JsonObject sentData(String frame) {
        JsonObject message = JsonParser.parseString(frame).getAsJsonObject();
        assertEquals("pusher:subscribe", message.get("event").getAsString());
        return message.getAsJsonObject("data");
    }

    private static String event(String channel, String epoch, long offset) {
        return "{\"event\":\"update\",\"channel\":\"" + channel + "\",\"data\":\"{\\\"n\\\":" + offset + "}\",\"herald\":{\"epoch\":\""
                + epoch + "\",\"offset\":" + offset + "}}";
    }

    private static String succeeded(String channel, String epoch, long offset, boolean recovered) {
        return "{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"" + channel + "\",\"data\":\"{}\",\"herald\":{\"epoch\":\""
                + epoch + "\",\"offset\":" + offset + ",\"recovered\":" + recovered + "}}";
    }
}
