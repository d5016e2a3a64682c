package io.herald.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class HeraldCommandTest {

    private static final Path HOME = Path.of("/herald");

    private static LocalClusterOptions parse(Map<String, String> env, String... args) {
        return HeraldCommand.parse(args, env, HOME);
    }

    @Test
    void defaultsToOneGatewayAndOneRouterOnPort6001WithThePrintedApp() {
        LocalClusterOptions options = parse(Map.of(), "local");
        assertEquals(1, options.gateways());
        assertEquals(1, options.routers());
        assertEquals(6001, options.firstGatewayPort());
        assertEquals(AppCredentials.DEFAULT, options.app());
        assertEquals(Optional.empty(), options.redisUrl());
        assertEquals(Optional.empty(), options.mongoUri(), "local mode starts its own MongoDB-wire server");
        assertEquals("true", options.nodeEnvironment().get("HERALD_CONSOLE_ENABLED"), "local mode serves the web console");
    }

    @Test
    void takesOptionsAndTheEnvironment() {
        Map<String, String> env = Map.of("HERALD_PORT", "7000", "HERALD_REDIS_URL", "redis://10.0.0.1:6379",
                "HERALD_APP_ID", "42", "HERALD_APP_KEY", "k", "HERALD_APP_SECRET", "s",
                "HERALD_MONGODB_URI", "mongodb://10.0.0.2:27017");
        LocalClusterOptions options = parse(env, "local", "--gateways", "3");
        assertEquals(3, options.gateways());
        assertEquals(7000, options.firstGatewayPort());
        assertEquals(Optional.of("redis://10.0.0.1:6379"), options.redisUrl());
        assertEquals(Optional.of("mongodb://10.0.0.2:27017"), options.mongoUri());
        assertEquals(new AppCredentials("42", "k", "s"), options.app());
        assertEquals(7100, parse(env, "local", "--port", "7100").firstGatewayPort());
        assertEquals(3, parse(env, "local", "--redis-cluster", "3").redisPrimaries());
        assertEquals(0, options.redisPrimaries(), "one Redis unless asked");
    }

    @Test
    void explainsWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of())).getMessage().contains("missing command"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "remote")).getMessage().contains("unknown command"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "local", "--gateways"))
                .getMessage().contains("needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "local", "--gateways", "two"))
                .getMessage().contains("whole number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "local", "--gateways", "0"))
                .getMessage().contains("at least 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "local", "--redis-cluster", "2"))
                .getMessage().contains("at least 3 primaries"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), "local", "--colour", "red"))
                .getMessage().contains("unknown option"));
    }
}
