package io.herald.gateway.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class AppsTest {

    @Test
    void theOperatorsPerConnectionLimitsReachTheApp() {
        List<App> apps = Apps.parse("[{\"id\":\"1001\",\"key\":\"chat-key\",\"secret\":\"s3cret\",\"clientEvents\":true,"
                + "\"userAuthentication\":false,\"maxConnections\":500,\"maxChannelsPerConnection\":64,\"subscribesPerSecond\":5}]",
                "apps.json");
        assertEquals(List.of(new App("1001", "chat-key", "s3cret", true, false, 500, 64, 5)), apps);
    }

    @Test
    void anAppWithoutPerConnectionLimitsTakesTheGatewaysDefaults() {
        App app = Apps.parse("[{\"id\":\"1\",\"key\":\"k\",\"secret\":\"s\"}]", "apps.json").get(0);
        assertEquals(0, app.maxChannelsPerConnection());
        assertEquals(0, app.subscribesPerSecond());
    }
}
