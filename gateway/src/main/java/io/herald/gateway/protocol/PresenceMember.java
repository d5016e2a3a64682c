package io.herald.gateway.protocol;

import java.nio.charset.StandardCharsets;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * A presence subscriber's {@code channel_data}: {@code {"user_id": ..., "user_info": ...}}.
 * Numeric user ids are taken as their string form, as apps often sign them as numbers.
 *
 * @param userInfo the user_info as JSON, or null
 */
record PresenceMember(String userId, String userInfo) {

    static final int MAX_USER_ID_LENGTH = 128;
    static final int MAX_USER_INFO_BYTES = 1024;

    /** @throws IllegalArgumentException with what is wrong, for the subscription error */
    static PresenceMember parse(String channelData) {
        JsonObject data;
        try {
            data = new JsonObject(channelData);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("channel_data must be a JSON object");
        }
        Object id = data.getValue("user_id");
        String userId = id instanceof String text ? text : id instanceof Number number ? Json.encode(number) : null;
        if (userId == null || userId.isEmpty() || idTooLong(userId)) {
            throw new IllegalArgumentException("channel_data.user_id must be a string or number of 1 to "
                    + MAX_USER_ID_LENGTH + " characters");
        }
        String userInfo = data.containsKey("user_info") ? Json.encode(data.getValue("user_info")) : null;
        if (userInfoTooLarge(userInfo)) {
            throw new IllegalArgumentException("channel_data.user_info is larger than " + MAX_USER_INFO_BYTES + " bytes");
        }
        return new PresenceMember(userId, userInfo);
    }

    /** Sign-in checks its user the same way: a signed-in user joins presence channels as a member. */
    static boolean idTooLong(String userId) {
        return userId.length() > MAX_USER_ID_LENGTH;
    }

    /** @param userInfo the user_info as JSON, or null */
    static boolean userInfoTooLarge(String userInfo) {
        return userInfo != null && userInfo.getBytes(StandardCharsets.UTF_8).length > MAX_USER_INFO_BYTES;
    }
}
