package io.herald.streams;

import java.util.HashMap;
import java.util.List;
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
    static final String TYPE_RECOVERY_REQUEST = "recovery-request";
    static final String TYPE_RECOVERY_ANSWER = "recovery-answer";
    static final String TYPE_PERSISTENT_SUBSCRIPTION = "persistent-subscription";
    static final String TYPE_SUBSCRIPTION_COUNT = "subscription-count";
    static final String SUBSCRIBED = "subscribed";
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
    static final String HISTORY_SIZE = "history_size";
    static final String HISTORY_TTL = "history_ttl";
    static final String ARCHIVE = "archive";
    static final String EPOCH = "epoch";
    static final String POSITION = "position";
    static final String RECOVERED = "recovered";
    static final String SINCE = "since";
    static final String SINCE_EPOCH = "since_epoch";
    static final String NAME = "name";
    static final String SOCKET_ID = "socket_id";
    static final String SUBSCRIPTION_COUNT = "subscription_count";

    private EnvelopeCodec() {
    }

    public static Map<String, String> encode(ShardEntry entry) {
        Map<String, String> fields = new HashMap<>(8);
        fields.put(APP, entry.app());
        fields.put(CHANNEL, entry.channel());
        if (entry instanceof Publication publication) {
            fields.put(TYPE, TYPE_PUBLISH);
            putPublicationBody(fields, publication);
            putRetention(fields, publication.retention());
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
        } else if (entry instanceof RecoveryRequest request) {
            fields.put(TYPE, TYPE_RECOVERY_REQUEST);
            fields.put(GATEWAY, request.gatewayId());
            fields.put(SOCKET, request.socketId());
            if (request.since() != null) {
                fields.put(EPOCH, request.since().epoch());
                fields.put(POSITION, Long.toString(request.since().offset()));
            }
        } else if (entry instanceof PersistentSubscription subscription) {
            fields.put(TYPE, TYPE_PERSISTENT_SUBSCRIPTION);
            fields.put(USER_ID, subscription.userId());
            fields.put(SUBSCRIBED, subscription.subscribed() ? "1" : "0");
            putRetention(fields, subscription.userChannelRetention());
        } else if (entry instanceof SubscriptionCountChange) {
            fields.put(TYPE, TYPE_SUBSCRIPTION_COUNT);
        } else {
            throw new IllegalArgumentException("No envelope for " + entry.getClass().getSimpleName());
        }
        return fields;
    }

    public static ShardEntry decodeShardEntry(Map<String, String> fields) {
        String type = required(fields, TYPE);
        return switch (type) {
            case TYPE_PUBLISH -> decodePublication(fields).withRetention(decodeRetention(fields));
            case TYPE_INTEREST -> new InterestChange(required(fields, APP), required(fields, CHANNEL),
                    required(fields, GATEWAY), "1".equals(required(fields, INTERESTED)));
            case TYPE_PRESENCE_JOIN -> new PresenceJoin(required(fields, APP), required(fields, CHANNEL),
                    required(fields, GATEWAY), required(fields, SOCKET), required(fields, USER_ID), fields.get(USER_INFO),
                    "1".equals(fields.get(REJOIN)));
            case TYPE_PRESENCE_LEAVE -> new PresenceLeave(required(fields, APP), required(fields, CHANNEL),
                    required(fields, GATEWAY), required(fields, SOCKET));
            case TYPE_CACHE_REQUEST -> new CacheRequest(required(fields, APP), required(fields, CHANNEL),
                    required(fields, GATEWAY), required(fields, SOCKET));
            case TYPE_RECOVERY_REQUEST -> new RecoveryRequest(required(fields, APP), required(fields, CHANNEL),
                    required(fields, GATEWAY), required(fields, SOCKET),
                    fields.containsKey(EPOCH) ? decodePosition(fields) : null);
            case TYPE_PERSISTENT_SUBSCRIPTION -> new PersistentSubscription(required(fields, APP), required(fields, CHANNEL),
                    required(fields, USER_ID), "1".equals(required(fields, SUBSCRIBED)), decodeRetention(fields));
            case TYPE_SUBSCRIPTION_COUNT -> new SubscriptionCountChange(required(fields, APP), required(fields, CHANNEL));
            default -> throw new MalformedEnvelopeException("unknown entry type '" + type + "'");
        };
    }

    public static Map<String, String> encode(Delivery delivery) {
        Map<String, String> fields = new HashMap<>(8);
        fields.put(APP, delivery.publication().app());
        fields.put(CHANNEL, delivery.publication().channel());
        putPublicationBody(fields, delivery.publication());
        fields.put(OFFSET, delivery.offset().toString());
        if (delivery.position() != null) {
            fields.put(EPOCH, delivery.position().epoch());
            fields.put(POSITION, Long.toString(delivery.position().offset()));
        }
        return fields;
    }

    /** The requested position goes in {@code since_epoch} and {@code since}; the events stay in history. */
    public static Map<String, String> encode(RecoveryAnswer answer) {
        Map<String, String> fields = new HashMap<>(12);
        fields.put(TYPE, TYPE_RECOVERY_ANSWER);
        fields.put(APP, answer.app());
        fields.put(CHANNEL, answer.channel());
        fields.put(SOCKET, answer.socketId());
        fields.put(EPOCH, answer.current().epoch());
        fields.put(POSITION, Long.toString(answer.current().offset()));
        fields.put(RECOVERED, answer.recovered() ? "1" : "0");
        if (answer.since() != null) {
            fields.put(SINCE_EPOCH, answer.since().epoch());
            fields.put(SINCE, Long.toString(answer.since().offset()));
        }
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

    /** A webhook stream entry: {@code app}, {@code channel}, {@code name}, and the optional Pusher fields. */
    public static Map<String, String> encode(WebhookFact fact) {
        Map<String, String> fields = new HashMap<>(8);
        fields.put(APP, fact.app());
        fields.put(CHANNEL, fact.channel());
        fields.put(NAME, fact.name());
        putIfPresent(fields, USER_ID, fact.userId());
        putIfPresent(fields, EVENT, fact.event());
        putIfPresent(fields, DATA, fact.data());
        putIfPresent(fields, SOCKET_ID, fact.socketId());
        if (fact.subscriptionCount() != null) {
            fields.put(SUBSCRIPTION_COUNT, Long.toString(fact.subscriptionCount()));
        }
        return fields;
    }

    public static WebhookFact decodeWebhookFact(Map<String, String> fields) {
        String name = required(fields, NAME);
        if (!WebhookFact.NAMES.contains(name)) {
            throw new MalformedEnvelopeException("unknown webhook event '" + name + "'");
        }
        return new WebhookFact(required(fields, APP), required(fields, CHANNEL), name, fields.get(USER_ID),
                fields.get(EVENT), fields.get(DATA), fields.get(SOCKET_ID),
                fields.containsKey(SUBSCRIPTION_COUNT) ? number(fields, SUBSCRIPTION_COUNT) : null);
    }

    /** Decodes an inbox entry: a delivery (the default type), or a presence, cache or recovery answer. */
    public static InboxEntry decodeInboxEntry(Map<String, String> fields) {
        if (TYPE_RECOVERY_ANSWER.equals(fields.get(TYPE))) {
            return decodeRecoveryAnswer(fields);
        }
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
        return new Delivery(decodePublication(fields), StreamOffset.parse(required(fields, OFFSET)),
                fields.containsKey(EPOCH) ? decodePosition(fields) : null);
    }

    private static RecoveryAnswer decodeRecoveryAnswer(Map<String, String> fields) {
        Position since = null;
        if (fields.containsKey(SINCE)) {
            try {
                since = new Position(required(fields, SINCE_EPOCH), number(fields, SINCE));
            } catch (IllegalArgumentException e) {
                throw new MalformedEnvelopeException("bad requested position: " + e.getMessage());
            }
        }
        return new RecoveryAnswer(required(fields, APP), required(fields, CHANNEL), required(fields, SOCKET), since,
                decodePosition(fields), "1".equals(required(fields, RECOVERED)), List.of());
    }

    private static Position decodePosition(Map<String, String> fields) {
        try {
            return new Position(required(fields, EPOCH), number(fields, POSITION));
        } catch (IllegalArgumentException e) {
            throw new MalformedEnvelopeException("bad position: " + e.getMessage());
        }
    }

    private static void putRetention(Map<String, String> fields, Retention retention) {
        if (retention.keepsHistory()) {
            fields.put(HISTORY_SIZE, Integer.toString(retention.historySize()));
            fields.put(HISTORY_TTL, Integer.toString(retention.historyTtlSeconds()));
        }
        if (retention.archives()) {
            fields.put(ARCHIVE, Long.toString(retention.archiveSeconds()));
        }
    }

    /** What older gateways did not send means nothing kept. */
    private static Retention decodeRetention(Map<String, String> fields) {
        return new Retention(fields.containsKey(HISTORY_SIZE) ? (int) number(fields, HISTORY_SIZE) : 0,
                fields.containsKey(HISTORY_TTL) ? (int) number(fields, HISTORY_TTL) : 0,
                fields.containsKey(ARCHIVE) ? number(fields, ARCHIVE) : 0);
    }

    private static long number(Map<String, String> fields, String name) {
        String value = required(fields, name);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new MalformedEnvelopeException("field '" + name + "' is not a number: '" + value + "'");
        }
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
