package io.herald.gateway.auth;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.herald.gateway.apps.App;

/**
 * Verifies Pusher's REST request signing (auth_version 1.0): an HMAC-SHA256, keyed with the app
 * secret, over {@code METHOD\nPATH\nQUERY} where QUERY holds every parameter but auth_signature
 * with lowercased keys, sorted, and URL-decoded values. The answer names the expected string to
 * sign, because that is what a developer debugging a signature needs to see.
 */
public final class RequestSignature {

    private RequestSignature() {
    }

    /**
     * @param query the request's query parameters in order, URL-decoded, each occurrence of a name
     *     separately: a name given twice (in any case) is refused, since the canonical string signs
     *     one value per name and the two readers of the request could take different ones
     * @param windowSeconds how far auth_timestamp may be from now
     * @return why the request is rejected, or empty when it is genuine
     */
    public static Optional<String> verify(App app, String method, String path, List<Map.Entry<String, String>> query,
            byte[] body, long nowEpochSeconds, long windowSeconds) {
        Map<String, String> lowercased = new TreeMap<>();
        for (Map.Entry<String, String> parameter : query) {
            String name = parameter.getKey().toLowerCase(Locale.ROOT);
            if (lowercased.putIfAbsent(name, parameter.getValue()) != null) {
                return Optional.of("Query parameter '" + name + "' appears more than once; the signature cannot cover it");
            }
        }

        String key = lowercased.get("auth_key");
        if (key == null) {
            return Optional.of("Missing auth_key");
        }
        if (!Signatures.constantTimeEquals(app.key(), key)) {
            return Optional.of("Unknown auth_key for app " + app.id());
        }
        if (!"1.0".equals(lowercased.get("auth_version"))) {
            return Optional.of("auth_version must be 1.0");
        }
        String timestamp = lowercased.get("auth_timestamp");
        long then;
        try {
            then = Long.parseLong(timestamp);
        } catch (NumberFormatException | NullPointerException e) {
            return Optional.of("Missing or malformed auth_timestamp");
        }
        // Compared with bounds, not Math.abs of the difference: that overflows for timestamps near
        // Long.MIN_VALUE + now and lets them through.
        if (then < nowEpochSeconds - windowSeconds || then > nowEpochSeconds + windowSeconds) {
            return Optional.of("Timestamp expired: given timestamp (" + then + ") not within " + windowSeconds
                    + "s of server time (" + nowEpochSeconds + ")");
        }
        String bodyMd5 = lowercased.get("body_md5");
        if (body.length > 0 || bodyMd5 != null) {
            String actual = Signatures.md5Hex(body);
            if (bodyMd5 == null || !Signatures.constantTimeEquals(actual, bodyMd5)) {
                return Optional.of("body_md5 does not match the body: expected " + actual);
            }
        }
        String signature = lowercased.remove("auth_signature");
        if (signature == null) {
            return Optional.of("Missing auth_signature");
        }
        String toSign = stringToSign(method, path, lowercased);
        String expected = Signatures.hmacSha256Hex(app.secret(), toSign);
        if (!Signatures.constantTimeEquals(expected, signature)) {
            return Optional.of("Invalid signature: you should have sent HmacSHA256Hex(" + quoted(toSign)
                    + ", your_secret_key), but you sent \"" + signature + "\"");
        }
        return Optional.empty();
    }

    static String stringToSign(String method, String path, Map<String, String> sortedParameters) {
        StringBuilder query = new StringBuilder();
        sortedParameters.forEach((name, value) -> {
            if (query.length() > 0) {
                query.append('&');
            }
            query.append(name).append('=').append(value);
        });
        return method + "\n" + path + "\n" + query;
    }

    private static String quoted(String toSign) {
        return "\"" + toSign.replace("\n", "\\n") + "\"";
    }
}
