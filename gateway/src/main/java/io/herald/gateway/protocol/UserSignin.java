package io.herald.gateway.protocol;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.herald.gateway.auth.Signatures;
import io.herald.gateway.fanout.LocalSubscriptions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.herald.streams.UserChannels;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code pusher:signin}: the app's backend vouches for the connection's user with
 * {@code key:HMAC(socket_id::user::user_data)} over user_data exactly as received. A signed-in
 * connection may subscribe to {@code #server-to-user-{id}}, join presence channels as that user
 * without channel_data, and terminate_connections closes it. It may name its device
 * ({@code herald_device}, Herald's extension), which then gets what it missed of
 * {@code #server-to-user-{id}} when it subscribes there (see {@link ChannelSubscriptions}).
 */
@ApplicationScoped
class UserSignin {

    static final int MAX_WATCHLIST = 100;
    static final int WATCHLIST_LIMIT = 4302;
    /** Herald's extension: the stable id of the client's device, for offline delivery and receipts. */
    static final String DEVICE = "herald_device";
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    @Inject
    LocalSubscriptions subscriptions;

    @Inject
    Watchlists watchlists;

    void signIn(PusherConnection connection, JsonObject data) {
        Object auth = data == null ? null : data.getValue("auth");
        Object userData = data == null ? null : data.getValue("user_data");
        if (!(auth instanceof String signature) || !(userData instanceof String rawUserData)) {
            refuse(connection, "pusher:signin needs 'auth' and 'user_data' (a JSON string)");
            return;
        }
        String toSign = connection.socketId() + "::user::" + rawUserData;
        String expected = connection.app().key() + ":" + Signatures.hmacSha256Hex(connection.app().secret(), toSign);
        if (!Signatures.constantTimeEquals(expected, signature)) {
            refuse(connection, "Invalid signature: expected the HMAC SHA256 hex digest of " + toSign);
            return;
        }
        String userId;
        String userInfo = null;
        List<String> watchlist = new ArrayList<>();
        try {
            JsonObject user = new JsonObject(rawUserData);
            userId = user.getValue("id") instanceof String text && !text.isEmpty() ? text : null;
            if (user.containsKey("user_info")) {
                userInfo = Json.encode(user.getValue("user_info"));
            }
            if (user.getValue("watchlist") instanceof JsonArray watched) {
                watched.forEach(id -> watchlist.add(String.valueOf(id)));
            }
        } catch (RuntimeException e) {
            userId = null;
        }
        if (userId == null) {
            refuse(connection, "user_data must be a JSON object with a non-empty string 'id'");
            return;
        }
        // The signed-in user becomes the member of presence channels joined without channel_data.
        if (PresenceMember.idTooLong(userId)) {
            refuse(connection, "user_data.id is longer than " + PresenceMember.MAX_USER_ID_LENGTH + " characters");
            return;
        }
        if (PresenceMember.userInfoTooLarge(userInfo)) {
            refuse(connection, "user_data.user_info is larger than " + PresenceMember.MAX_USER_INFO_BYTES + " bytes");
            return;
        }
        String already = connection.signedInUser();
        if (already != null && !already.equals(userId)) {
            refuse(connection, "This connection is already signed in as another user");
            return;
        }
        Object device = data.getValue(DEVICE);
        if (device != null && !(device instanceof String id && DEVICE_ID.matcher(id).matches())) {
            refuse(connection, "'" + DEVICE + "' must be 1 to 128 characters of A-Z, a-z, 0-9, '_', '.', ':' and '-'");
            return;
        }
        if (device != null && connection.device() != null && !device.equals(connection.device())) {
            refuse(connection, "This connection is already signed in as another device");
            return;
        }
        if (already == null) {
            connection.nameDevice((String) device);
            connection.signIn(userId, userInfo);
            String userChannel = UserChannels.of(userId);
            // In the connection's channels, so that closing the connection releases it too.
            connection.channels().add(userChannel);
            subscriptions.subscribeInternally(connection, userChannel);
        }
        connection.send(Frames.signinSuccess(rawUserData));
        if (!watchlist.isEmpty()) {
            if (watchlist.size() > MAX_WATCHLIST) {
                connection.send(Frames.error(WATCHLIST_LIMIT, "Watchlist limit exceeded: only the first " + MAX_WATCHLIST
                        + " user ids are watched"));
            }
            watchlists.watch(connection, userId, watchlist.subList(0, Math.min(MAX_WATCHLIST, watchlist.size())));
        }
    }

    private static void refuse(PusherConnection connection, String reason) {
        connection.send(Frames.error(CloseCodes.UNAUTHORIZED, reason));
    }
}
