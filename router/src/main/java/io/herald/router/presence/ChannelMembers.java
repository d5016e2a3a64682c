package io.herald.router.presence;

import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The connections in one presence channel and the users they are. Membership is per user: a user
 * is a member while at least one of their connections is in the channel, with the user_info of
 * their latest join.
 */
final class ChannelMembers {

    /** One connection in the channel. */
    record Connection(String userId, String userInfo, String gatewayId) {

        String toJson() {
            JsonObject json = new JsonObject().put("user_id", userId).put("gateway", gatewayId);
            if (userInfo != null) {
                json.put("user_info", userInfo);
            }
            return json.encode();
        }

        static Connection fromJson(String json) {
            JsonObject object = new JsonObject(json);
            return new Connection(object.getString("user_id"), object.getString("user_info"), object.getString("gateway"));
        }
    }

    private final Map<String, Connection> bySocket = new LinkedHashMap<>();
    private final Map<String, Integer> connectionsByUser = new LinkedHashMap<>();
    private final Map<String, String> infoByUser = new LinkedHashMap<>();

    static ChannelMembers fromStored(Map<String, String> connectionsBySocket) {
        ChannelMembers members = new ChannelMembers();
        connectionsBySocket.forEach((socket, json) -> members.add(socket, Connection.fromJson(json)));
        return members;
    }

    /** @return whether this connection made the user a member (their first connection here) */
    boolean add(String socketId, Connection connection) {
        Connection previous = bySocket.put(socketId, connection);
        if (previous != null) {
            connectionsByUser.merge(previous.userId(), -1, Integer::sum);
            connectionsByUser.remove(previous.userId(), 0);
        }
        infoByUser.put(connection.userId(), connection.userInfo());
        return connectionsByUser.merge(connection.userId(), 1, Integer::sum) == 1;
    }

    /** @return the connection's user if it was their last connection here, else null */
    String remove(String socketId) {
        Connection removed = bySocket.remove(socketId);
        if (removed == null) {
            return null;
        }
        int left = connectionsByUser.merge(removed.userId(), -1, Integer::sum);
        if (left > 0) {
            return null;
        }
        connectionsByUser.remove(removed.userId());
        infoByUser.remove(removed.userId());
        return removed.userId();
    }

    boolean isMember(String userId) {
        return connectionsByUser.containsKey(userId);
    }

    int userCount() {
        return connectionsByUser.size();
    }

    Map<String, Connection> connections() {
        return bySocket;
    }

    /** The member list Pusher sends with subscription_succeeded: {@code {"presence":{ids,hash,count}}}. */
    String snapshot() {
        JsonArray ids = new JsonArray();
        JsonObject hash = new JsonObject();
        infoByUser.forEach((user, info) -> {
            ids.add(user);
            hash.put(user, info == null ? null : Json.decodeValue(info));
        });
        return new JsonObject().put("presence", new JsonObject().put("ids", ids).put("hash", hash).put("count", ids.size()))
                .encode();
    }

    /** The data of member_added: {@code {"user_id":..,"user_info":..}}. */
    String memberData(String userId) {
        JsonObject data = new JsonObject().put("user_id", userId);
        String info = infoByUser.get(userId);
        if (info != null) {
            data.put("user_info", Json.decodeValue(info));
        }
        return data.encode();
    }
}
