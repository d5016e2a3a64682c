package io.herald.streams;

/**
 * Herald's own channel per signed-in user, {@code #user-{id}}: every connection signed in as the
 * user holds it silently. Its router sees the user come online (the first gateway's interest)
 * and go offline (the last one's), and watchlist events and terminations travel on it.
 */
public final class UserChannels {

    public static final String PREFIX = "#user-";
    /** Closes the user's connections with 4009 (terminate_connections). */
    public static final String TERMINATE = "pusher_internal:terminate";
    /** Carries online/offline events to a watcher's connections. */
    public static final String WATCHLIST_EVENTS = "pusher_internal:watchlist_events";

    private UserChannels() {
    }

    public static String of(String userId) {
        return PREFIX + userId;
    }

    public static boolean isUserChannel(String channel) {
        return channel.startsWith(PREFIX);
    }

    public static String userOf(String channel) {
        return channel.substring(PREFIX.length());
    }

    /** The data of {@code pusher_internal:watchlist_events}: {@code {"events":[{"name":..,"user_ids":[..]}]}}. */
    public static String watchlistEvents(String name, java.util.Collection<String> userIds) {
        StringBuilder json = new StringBuilder("{\"events\":[{\"name\":").append(quote(name)).append(",\"user_ids\":[");
        String separator = "";
        for (String id : userIds) {
            json.append(separator).append(quote(id));
            separator = ",";
        }
        return json.append("]}]}").toString();
    }

    private static String quote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
