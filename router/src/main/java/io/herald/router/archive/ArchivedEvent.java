package io.herald.router.archive;

import java.util.Date;
import java.util.Map;

import org.bson.Document;

/**
 * One publication as the archive stores it. Parsed from an archive-stream entry (fields {@code app},
 * {@code channel}, {@code epoch}, {@code offset}, {@code event}, {@code data}, optional
 * {@code user_id}, {@code retention} in seconds, {@code at} in ms since the Unix epoch) and
 * written as the document {@code {app, channel, epoch, offset, event, data, userId?, at, expireAt}}
 * that the REST history reads; {@code expireAt} drives MongoDB's TTL index.
 */
record ArchivedEvent(String app, String channel, String epoch, long offset, String event, String data, String userId,
        long atMillis, long retentionSeconds) {

    /** @throws IllegalArgumentException when the entry does not follow the archive-stream format */
    static ArchivedEvent parse(Map<String, String> fields) {
        return new ArchivedEvent(required(fields, "app"), required(fields, "channel"), required(fields, "epoch"),
                number(fields, "offset"), required(fields, "event"), required(fields, "data"), fields.get("user_id"),
                number(fields, "at"), number(fields, "retention"));
    }

    Document document() {
        Document document = new Document("app", app).append("channel", channel).append("epoch", epoch)
                .append("offset", offset).append("event", event).append("data", data);
        if (userId != null) {
            document.append("userId", userId);
        }
        return document.append("at", new Date(atMillis)).append("expireAt", new Date(atMillis + retentionSeconds * 1000));
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no field '" + name + "'");
        }
        return value;
    }

    private static long number(Map<String, String> fields, String name) {
        String value = required(fields, name);
        try {
            long number = Long.parseLong(value);
            if (number < 0) {
                throw new IllegalArgumentException("field '" + name + "' is negative: " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field '" + name + "' is not a whole number: " + value);
        }
    }
}
