package io.herald.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.herald.gateway.apps.App;

class ConsoleTokensTest {

    private static final App APP = new App("7", "app-key", "app-secret", true, false, 0);
    private static final App OTHER = new App("8", "other-key", "other-secret", true, false, 0);
    private static final long NOW = 1_800_000_000L;

    @Test
    void theAppsKeyAndSecretOpenItsConsole() {
        assertEquals(Optional.empty(), ConsoleTokens.credentialsProblem(Optional.of(APP), "app-key", "app-secret"));
    }

    @Test
    void aWrongKeyAWrongSecretOrAnUnknownAppAreRefusedAlike() {
        Optional<String> refused = Optional.of("Wrong app id, key or secret");
        assertEquals(refused, ConsoleTokens.credentialsProblem(Optional.of(APP), "app-key", "wrong"));
        assertEquals(refused, ConsoleTokens.credentialsProblem(Optional.of(APP), "wrong", "app-secret"));
        assertEquals(refused, ConsoleTokens.credentialsProblem(Optional.of(APP), "other-key", "other-secret"));
        assertEquals(refused, ConsoleTokens.credentialsProblem(Optional.of(APP), null, "app-secret"));
        assertEquals(refused, ConsoleTokens.credentialsProblem(Optional.empty(), "app-key", "app-secret"));
    }

    @Test
    void aTokenOpensItsAppsConsoleUntilItLapses() {
        String token = ConsoleTokens.issue(APP, NOW + 60);
        assertEquals(Optional.empty(), ConsoleTokens.problemWith(APP, token, NOW));
        assertEquals(Optional.empty(), ConsoleTokens.problemWith(APP, token, NOW + 59));
        assertEquals(Optional.of("The console session has expired: sign in again"),
                ConsoleTokens.problemWith(APP, token, NOW + 60));
    }

    @Test
    void aTokenDoesNotOpenAnotherAppsConsole() {
        String token = ConsoleTokens.issue(OTHER, NOW + 60);
        assertEquals(Optional.of("The console token is for another app: sign in to app 7"),
                ConsoleTokens.problemWith(APP, token, NOW));
    }

    @Test
    void aTokenWithAMovedExpiryOrFromAnOldSecretIsInvalid() {
        String token = ConsoleTokens.issue(APP, NOW + 60);
        String stretched = token.replace("." + (NOW + 60) + ".", "." + (NOW + 999_999) + ".");
        assertTrue(ConsoleTokens.problemWith(APP, stretched, NOW).orElseThrow().startsWith("Invalid console token"));
        App rotated = new App("7", "app-key", "new-secret", true, false, 0);
        assertTrue(ConsoleTokens.problemWith(rotated, token, NOW).orElseThrow().startsWith("Invalid console token"));
    }

    @Test
    void aMissingOrMalformedTokenIsNamedSo() {
        assertEquals(Optional.of("No console token: sign in with the app's key and secret"), ConsoleTokens.problemWith(APP, null, NOW));
        assertEquals(Optional.of("No console token: sign in with the app's key and secret"), ConsoleTokens.problemWith(APP, "", NOW));
        for (String malformed : new String[] {"7", "7.abc.def", "7.1.2.3", "7..x"}) {
            assertEquals(Optional.of("Malformed console token: sign in again"), ConsoleTokens.problemWith(APP, malformed, NOW),
                    malformed);
        }
    }
}
