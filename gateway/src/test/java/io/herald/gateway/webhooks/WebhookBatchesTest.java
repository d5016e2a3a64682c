package io.herald.gateway.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.herald.gateway.apps.App;
import io.herald.gateway.apps.ChannelRules;
import io.herald.gateway.apps.Webhook;
import io.herald.streams.WebhookFact;
import io.vertx.core.json.JsonObject;

class WebhookBatchesTest {

    private static final URI ALL = URI.create("http://hooks.example.com/all");
    private static final URI MEMBERS = URI.create("http://hooks.example.com/members");
    private static final App CHAT = app("1", new Webhook(ALL, Set.of(), ""),
            new Webhook(MEMBERS, Set.of("member_added", "member_removed"), "presence-"),
            new Webhook(ALL, Set.of("member_added"), "presence-"));
    private static final App SILENT = app("2");

    @Test
    void factsBecomeOnePusherBatchPerAppAndUrlInStreamOrder() {
        List<WebhookFact> facts = List.of(
                WebhookFact.occupancy("1", "presence-room", true),
                WebhookFact.membership("1", "presence-room", "ann", true),
                WebhookFact.clientEvent("1", "private-chat", "client-typing", "{\"n\":1}", "1.2", null),
                WebhookFact.occupancy("2", "news", true),
                WebhookFact.cacheMiss("3", "cache-gone"));

        Map<String, App> apps = Map.of("1", CHAT, "2", SILENT);
        List<WebhookRequest> requests = WebhookBatches.of(facts, id -> Optional.ofNullable(apps.get(id)), 1700000000000L);

        assertEquals(2, requests.size(), "app 1 at two URLs; app 2 wants nothing; app 3 is gone");
        assertEquals(ALL, requests.get(0).url());
        assertEquals(new JsonObject("""
                {"time_ms":1700000000000,"events":[
                  {"name":"channel_occupied","channel":"presence-room"},
                  {"name":"member_added","channel":"presence-room","user_id":"ann"},
                  {"name":"client_event","channel":"private-chat","event":"client-typing","data":"{\\"n\\":1}","socket_id":"1.2"}]}
                """), new JsonObject(requests.get(0).body()), "member_added once, though two webhooks at the URL want it");
        assertEquals(MEMBERS, requests.get(1).url());
        assertEquals(new JsonObject("""
                {"time_ms":1700000000000,"events":[{"name":"member_added","channel":"presence-room","user_id":"ann"}]}
                """), new JsonObject(requests.get(1).body()));
        assertEquals(CHAT, requests.get(1).app());
    }

    private static App app(String id, Webhook... webhooks) {
        return new App(id, "key-" + id, "secret-" + id, true, false, 0, 0, 0, ChannelRules.NONE, List.of(webhooks));
    }
}
