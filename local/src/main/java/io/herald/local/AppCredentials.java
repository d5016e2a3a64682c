package io.herald.local;

import java.util.Map;

/** The default app of a local cluster, from HERALD_APP_ID, HERALD_APP_KEY and HERALD_APP_SECRET. */
public record AppCredentials(String id, String key, String secret) {

    public static final AppCredentials DEFAULT = new AppCredentials("1", "herald-key", "herald-secret");

    public static AppCredentials fromEnvironment(Map<String, String> env) {
        return new AppCredentials(env.getOrDefault("HERALD_APP_ID", DEFAULT.id()),
                env.getOrDefault("HERALD_APP_KEY", DEFAULT.key()),
                env.getOrDefault("HERALD_APP_SECRET", DEFAULT.secret()));
    }
}
