package io.herald.streams;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns shard entries and deliveries into the field maps of Redis stream entries and back.
 * The format is documented in docs/architecture.md; readers reject what they do not understand
 * with {@link MalformedEnvelopeException} rather than guessing.
 */
public final class EnvelopeCodec {

    static final String TYPE = "type";
    static final String TYPE_PUBLISH = "publish";
    static final String TYPE_INTEREST = "interest";
    static final String TYPE_PRESENCE_JOIN = "presence-join";
    static final String TYPE_PRESENCE_LEAVE = "presence-leave";
    static final String TYPE_PRESENCE_ANSWER = "presence-answer";
    static final String TYPE_CACHE_REQUEST = "cache-request";
    static final String TYPE_CACHE_ANSWER = "cache-answer";
    static final String SOCKET = "socket";
    static final String USER_INFO = "user_info";
    static final String MEMBERS = "members";
    static final String REFUSAL = "refusal";
    static final String APP = "app";
    static final String CHANNEL = "channel";
    static final String EVENT = "event";
    static final String DATA = "data";
    static final String EXCLUDE = "exclude";
    static final String GATEWAY = "gateway";
    static final String INTERESTED = "interested";
    static final String OFFSET = "offset";
    static final String USER_ID = "user_id";
    static final String REJOIN = "rejoin";

    private EnvelopeCodec() {
    }

    public static Map<String, String> encode(ShardEntry entry) {
        Map<String, String> fields = new HashMap<>(8);
        fields.put(APP, entry.app());
        fields.put(CHANNEL, entry.channel());
        if (entry instanceof Publication publication) {
            fields.put(TYPE, TYPE_PUBLISH);
            putPublicationBody(fields, publication);
        } else if (entry instanceof InterestChange change) {
            fields.put(TYPE, TYPE_INTEREST);
            fields.put(GATEWAY, change.gatewayId());
            fields.put(INTERESTED, change.interested() ? "1" : "0");
        } else if (entry instanceof PresenceJoin join) {
            fields.put(TYPE, TYPE_PRESENCE_JOIN);
            fields.put(GATEWAY, join.gatewayId());
            fields.put(SOCKET, join.socketId());
            fields.put(USER_ID, join.userId());
            putIfPresent(fields, USER_INFO, join.userInfo());
            if (join.rejoin()) {
                fields.put(REJOIN, "1");
            }
        } else if (entry instanceof PresenceLeave leave) {
            fields.put(TYPE, TYPE_PRESENCE_LEAVE);
            fields.put(GATEWAY, leave.gatewayId());
            fields.put(SOCKET, leave.socketId());
        } else if (entry instanceof CacheRequest request) {
            fields.put(TYPE, TYPE_CACHE_REQUEST);
            fields.put(GATEWAY, request.gatewayId());
            fields.put(SOCKET, request.socketId());
        }
        return fields;
    }

    public static ShardEntry decodeShardEntry(Map<String, String> fields) {
        String type = required(fields, TYPE);
        return switch (type) {
            case TYPE_PUBLISH -> decodePublication(fields);
            case TYPE_INTEREST -> new InterestChange(required(fields, APP), required(fields, CHANNEL),
                    required(fields, GATEWAY), "1".equals(required(fields, INTERESTED)));
            case TYPE_PRESENCE_JOIN -> new PresenceJoin(required(fields, APP), required(fields, CHANNEL),
                    required(fields, GATEWAY), required(fields, SOCKET), required(fields, USER_ID), fields.get(USER_INFO),
                    "1".equals(fields.get(REJOIN)));
            case TYPE_PRESENCE_LEAVE -> new PresenceLeave(required(fields, APP), required(fields, CHANNEL),
                    required(fields, GATEWAY), required(fields, SOCKET));
            case TYPE_CACHE_REQUEST -> new CacheRequest(required(fields, APP), required(fields, CHANNEL),
                    required(fields, GATEWAY), required(fields, SOCKET));
            default -> throw new MalformedEnvelopeException("unknown entry type '" + type + "'");
        };
    }

    public static Map<String, String> encode(Delivery delivery) {
        Map<String, String> fields = new HashMap<>(8);
        fields.put(APP, delivery.publication().app());
        fields.put(CHANNEL, delivery.publication().channel());
        putPublicationBody(fields, delivery.publication());
        fields.put(OFFSET, delivery.offset().toString());
        return fields;
    }

    public static Map<String, String> encode(PresenceAnswer answer) {
        Map<String, String> fields = new HashMap<>(8);
        fields.put(TYPE, TYPE_PRESENCE_ANSWER);
        fields.put(APP, answer.app());
        fields.put(CHANNEL, answer.channel());
        fields.put(SOCKET, answer.socketId());
        putIfPresent(fields, MEMBERS, answer.members());
        putIfPresent(fields, REFUSAL, answer.refusal());
        return fields;
    }

    public static Map<String, String> encode(CacheAnswer answer) {
        Map<String, String> fields = new HashMap<>(8);
        fields.put(TYPE, TYPE_CACHE_ANSWER);
        fields.put(APP, answer.app());
        fields.put(CHANNEL, answer.channel());
        fields.put(SOCKET, answer.socketId());
        putIfPresent(fields, EVENT, answer.event());
        putIfPresent(fields, DATA, answer.data());
        return fields;
    }

    /** Decodes an inbox entry: a delivery (the default type), a presence answer or a cache answer. */
    public static InboxEntry decodeInboxEntry(Map<String, String> fields) {
        if (TYPE_CACHE_ANSWER.equals(fields.get(TYPE))) {
            return new CacheAnswer(required(fields, APP), required(fields, CHANNEL), required(fields, SOCKET),
                    fields.get(EVENT), fields.get(DATA));
        }
        if (TYPE_PRESENCE_ANSWER.equals(fields.get(TYPE))) {
            return new PresenceAnswer(required(fields, APP), required(fields, CHANNEL), required(fields, SOCKET),
                    fields.get(MEMBERS), fields.get(REFUSAL));
        }
        return decodeDelivery(fields);
    }

    public static Delivery decodeDelivery(Map<String, String> fields) {
        return new Delivery(decodePublication(fields), StreamOffset.parse(required(fields, OFFSET)));
    }

    private static void putIfPresent(Map<String, String> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    private static void putPublicationBody(Map<String, String> fields, Publication publication) {
        fields.put(EVENT, publication.event());
        fields.put(DATA, publication.data());
        putIfPresent(fields, EXCLUDE, publication.excludedSocketId());
        putIfPresent(fields, USER_ID, publication.userId());
    }

    private static Publication decodePublication(Map<String, String> fields) {
        return new Publication(required(fields, APP), required(fields, CHANNEL), required(fields, EVENT),
                required(fields, DATA), fields.get(EXCLUDE), fields.get(USER_ID));
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new MalformedEnvelopeException("entry lacks field '" + name + "': " + fields.keySet());
        }
        return value;
    }
}
