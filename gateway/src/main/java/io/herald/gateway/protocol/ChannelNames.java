package io.herald.gateway.protocol;

import java.util.regex.Pattern;

/** Pusher's rules for names: channels of up to 164 characters of {@code [A-Za-z0-9_\-=@,.;]}, events of up to 200. */
public final class ChannelNames {

    public static final int MAX_LENGTH = 164;
    public static final int MAX_EVENT_NAME_LENGTH = 200;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_\\-=@,.;]+");

    private ChannelNames() {
    }

    /** @return why the name is not acceptable, or null when it is */
    public static String problemWith(String channel) {
        if (channel == null || channel.isEmpty()) {
            return "Channel name is missing";
        }
        if (channel.length() > MAX_LENGTH) {
            return "Channel name is longer than " + MAX_LENGTH + " characters";
        }
        if (!ALLOWED.matcher(channel).matches()) {
            return "Channel name '" + channel + "' contains characters outside [A-Za-z0-9_-=@,.;]";
        }
        return null;
    }

    /** Where the server SDKs send events for one user ({@code sendToUser}); pusher-js subscribes after sign-in. */
    public static final String SERVER_TO_USER_PREFIX = "#server-to-user-";

    /** Names a publisher may use: the ordinary ones, and {@code #server-to-user-{id}}. */
    public static String problemWithPublishable(String channel) {
        if (channel != null && channel.startsWith(SERVER_TO_USER_PREFIX) && channel.length() > SERVER_TO_USER_PREFIX.length()
                && channel.length() <= MAX_LENGTH + SERVER_TO_USER_PREFIX.length()) {
            return null;
        }
        return problemWith(channel);
    }

    /** Private channels, encrypted ones included: subscribers need an auth signature. */
    public static boolean isPrivate(String channel) {
        return channel.startsWith("private-");
    }

    /** Presence channels: an auth signature over the member's channel_data. */
    public static boolean isPresence(String channel) {
        return channel.startsWith("presence-");
    }
}
