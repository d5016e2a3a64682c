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
    static final String APP = "app";
    static final String CHANNEL = "channel";
    static final String EVENT = "event";
    static final String DATA = "data";
    static final String EXCLUDE = "exclude";
    static final String GATEWAY = "gateway";
    static final String INTERESTED = "interested";
    static final String OFFSET = "offset";
    static final String USER_ID = "user_id";

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
        }
        return fields;
    }

    public static ShardEntry decodeShardEntry(Map<String, String> fields) {
        String type = required(fields, TYPE);
        return switch (type) {
            case TYPE_PUBLISH -> decodePublication(fields);
            case TYPE_INTEREST -> new InterestChange(required(fields, APP), required(fields, CHANNEL),
                    required(fields, GATEWAY), "1".equals(required(fields, INTERESTED)));
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

    public static Delivery decodeDelivery(Map<String, String> fields) {
        return new Delivery(decodePublication(fields), StreamOffset.parse(required(fields, OFFSET)));
    }

    private static void putPublicationBody(Map<String, String> fields, Publication publication) {
        fields.put(EVENT, publication.event());
        fields.put(DATA, publication.data());
        if (publication.excludedSocketId() != null) {
            fields.put(EXCLUDE, publication.excludedSocketId());
        }
        if (publication.userId() != null) {
            fields.put(USER_ID, publication.userId());
        }
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
