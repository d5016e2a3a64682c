package io.herald.gateway.console;

import java.util.Optional;

import io.herald.gateway.apps.App;
import io.herald.gateway.auth.Signatures;

/**
 * Access to the web console: a developer proves they hold the app's key and secret once, and
 * gets a short-lived token signed with the secret, {@code <app>.<expiry s>.<hex HMAC>}. The
 * token, not the secret, then travels with every console call (also in the URL of the event
 * stream, which a browser cannot give headers), and a leaked one lapses within the hour. Nothing
 * is stored: any gateway checks any token, and changing the app's secret revokes them all.
 */
public final class ConsoleTokens {

    /** How long a token is good for. */
    public static final long LIFETIME_SECONDS = 3600;

    private static final String WRONG_CREDENTIALS = "Wrong app id, key or secret";

    private ConsoleTokens() {
    }

    /** Why the key and secret do not open the app's console, or empty when they do. */
    public static Optional<String> credentialsProblem(Optional<App> app, String key, String secret) {
        if (app.isEmpty() || key == null || secret == null) {
            return Optional.of(WRONG_CREDENTIALS);
        }
        // Both compared, always: the answer's time says nothing about which was wrong.
        boolean keyMatches = Signatures.constantTimeEquals(app.get().key(), key);
        boolean secretMatches = Signatures.constantTimeEquals(app.get().secret(), secret);
        return keyMatches && secretMatches ? Optional.empty() : Optional.of(WRONG_CREDENTIALS);
    }

    /** A token for the app's console that lapses at {@code expiresAtSeconds} (epoch seconds). */
    public static String issue(App app, long expiresAtSeconds) {
        return app.id() + "." + expiresAtSeconds + "." + signature(app, expiresAtSeconds);
    }

    /** Why the token does not open the app's console now, or empty when it does. */
    public static Optional<String> problemWith(App app, String token, long nowSeconds) {
        if (token == null || token.isEmpty()) {
            return Optional.of("No console token: sign in with the app's key and secret");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !parts[1].matches("\\d{1,18}")) {
            return Optional.of("Malformed console token: sign in again");
        }
        if (!parts[0].equals(app.id())) {
            return Optional.of("The console token is for another app: sign in to app " + app.id());
        }
        long expiresAt = Long.parseLong(parts[1]);
        if (!Signatures.constantTimeEquals(signature(app, expiresAt), parts[2])) {
            return Optional.of("Invalid console token (the app's secret may have changed): sign in again");
        }
        if (expiresAt <= nowSeconds) {
            return Optional.of("The console session has expired: sign in again");
        }
        return Optional.empty();
    }

    private static String signature(App app, long expiresAtSeconds) {
        return Signatures.hmacSha256Hex(app.secret(), "herald-console:" + app.id() + ":" + expiresAtSeconds);
    }
}
