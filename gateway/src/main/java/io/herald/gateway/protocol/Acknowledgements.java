package io.herald.gateway.protocol;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.herald.gateway.devices.DeviceRecords;
import io.herald.streams.Position;
import io.vertx.core.json.JsonObject;

/**
 * {@code herald:ack} (Herald's extension): a connection signed in with a device says it processed
 * its user's personal stream up to a position, {@code {"channel":"#server-to-user-U","epoch","offset"}},
 * so the device's next sign-in starts after it and the receipts show it. Not answered; a frame
 * that does not hold is refused with a {@code pusher:error} (code null) naming why, and the
 * connection stays.
 */
@ApplicationScoped
class Acknowledgements {

    static final String EVENT = "herald:ack";

    @Inject
    DeviceRecords devices;

    void acknowledge(PusherConnection connection, JsonObject data) {
        String user = connection.signedInUser();
        if (user == null || connection.device() == null) {
            connection.send(Frames.error(null, EVENT + " needs a connection signed in with " + UserSignin.DEVICE));
            return;
        }
        String channel = ChannelNames.SERVER_TO_USER_PREFIX + user;
        if (data == null || !channel.equals(data.getValue("channel"))) {
            connection.send(Frames.error(null, EVENT + " acknowledges the connection's own " + channel + " only"));
            return;
        }
        Object epoch = data.getValue("epoch");
        Object offset = data.getValue("offset");
        if (!(epoch instanceof String text) || text.isEmpty() || text.length() > 64
                || !(offset instanceof Integer || offset instanceof Long) || ((Number) offset).longValue() < 0) {
            connection.send(Frames.error(null, EVENT + " needs the 'epoch' (string) and 'offset' (non-negative integer)"
                    + " of a position Herald sent"));
            return;
        }
        devices.acknowledge(connection.app(), user, connection.device(), new Position(text, ((Number) offset).longValue()));
    }
}
