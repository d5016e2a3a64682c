package io.herald.gateway.protocol;

import java.util.regex.Pattern;

/** Pusher's rules for channel names: up to 164 characters of {@code [A-Za-z0-9_\-=@,.;]}. */
public final class ChannelNames {

    public static final int MAX_LENGTH = 164;
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

    /** Channels that need an auth signature; their support arrives with private and presence channels. */
    public static boolean needsAuthorization(String channel) {
        return channel.startsWith("private-") || channel.startsWith("presence-");
    }
}
