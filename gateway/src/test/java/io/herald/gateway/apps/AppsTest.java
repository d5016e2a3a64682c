package io.herald.gateway.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Set;

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

    @Test
    void webhooksAsTheOperatorWritesThemReachTheAppWithTheirFilters() {
        App app = Apps.parse("[{\"id\":\"1\",\"key\":\"k\",\"secret\":\"s\",\"webhooks\":["
                + "{\"url\":\"https://hooks.example.com/pusher\",\"eventTypes\":[\"member_added\",\"member_removed\"],"
                + "\"channelPrefix\":\"presence-\"},{\"url\":\"http://10.0.0.1:8080/all\",\"eventTypes\":[],\"channelPrefix\":\"\"}]}]",
                "apps.json").get(0);

        assertEquals(List.of(new Webhook(URI.create("https://hooks.example.com/pusher"), Set.of("member_added", "member_removed"),
                "presence-"), new Webhook(URI.create("http://10.0.0.1:8080/all"), Set.of(), "")), app.webhooks());
        assertTrue(app.webhooks().get(0).wants("member_added", "presence-room"));
        assertFalse(app.webhooks().get(0).wants("member_added", "private-room"));
        assertFalse(app.webhooks().get(0).wants("channel_occupied", "presence-room"));
        assertTrue(app.webhooks().get(1).wants("cache_miss", "cache-prices"), "no event types means all of them");
    }

    @Test
    void aWebhookThatIsNotHttpOrAsksForAnUnknownEventIsRefusedByName() {
        IllegalArgumentException notHttp = assertThrows(IllegalArgumentException.class, () -> Apps.parse(
                "[{\"id\":\"1\",\"key\":\"k\",\"secret\":\"s\",\"webhooks\":[{\"url\":\"ftp://example.com/x\"}]}]", "apps.json"));
        assertTrue(notHttp.getMessage().contains("'ftp://example.com/x'"), notHttp.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Apps.parse(
                "[{\"id\":\"1\",\"key\":\"k\",\"secret\":\"s\",\"webhooks\":[{\"url\":\"http://example.com\","
                        + "\"eventTypes\":[\"channel_existence\"]}]}]", "apps.json"));
        assertTrue(unknown.getMessage().contains("unknown webhook event type 'channel_existence'"), unknown.getMessage());
    }
}
