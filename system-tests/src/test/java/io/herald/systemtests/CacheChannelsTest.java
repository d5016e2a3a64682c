package io.herald.systemtests;

import static io.herald.systemtests.PusherClients.channels;
import static io.herald.systemtests.PusherClients.client;
import static io.herald.systemtests.PusherClients.publisher;
import static io.herald.systemtests.PusherClients.subscribe;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pusher.client.Pusher;
import com.pusher.rest.data.Result;

import io.herald.local.LocalCluster;

/**
 * Cache channels keep their last event: a new subscriber, on any gateway, gets it right after
 * subscribing, or {@code pusher:cache_miss} when there is none.
 */
class CacheChannelsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestClusters.start(CacheChannelsTest.class, 2, 1);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void newSubscribersGetTheLastEventOrACacheMiss() throws Exception {
        String channel = "cache-" + channels("prices", 1).get(0);
        Pusher early = client(cluster.gateways().get(0));
        Pusher late = client(cluster.gateways().get(1));
        try (com.pusher.rest.Pusher api = publisher(cluster.gateways().get(1))) {
            PusherClients.Received first = subscribe(early, List.of(channel), "pusher:cache_miss", "tick");
            await().atMost(TIMEOUT).until(() -> first.total() == 1);
            assertEquals(List.of("{}"), first.data().get(channel), "a cache miss before anything was published");

            for (int i = 1; i <= 3; i++) {
                assertEquals(Result.Status.SUCCESS, api.trigger(channel, "tick", "{\"price\":" + i + "}").getStatus());
            }
            await().atMost(TIMEOUT).until(() -> first.total() == 4);

            PusherClients.Received second = subscribe(late, List.of(channel), "pusher:cache_miss", "tick");
            await().atMost(TIMEOUT).until(() -> second.total() == 1);
            assertEquals(List.of("{\"price\":3}"), second.data().get(channel), "only the last event, once");
            assertEquals(Result.Status.SUCCESS, api.trigger(channel, "tick", "{\"price\":4}").getStatus());
            await().atMost(TIMEOUT).until(() -> second.total() == 2 && first.total() == 5);
        } finally {
            early.disconnect();
            late.disconnect();
        }
    }

    @Test
    void theRestApiAnswersACacheChannelsLastEventWithItsTimeToLive() throws Exception {
        String channel = "cache-" + channels("quotes", 1).get(0);
        try (com.pusher.rest.Pusher api = publisher(cluster.gateways().get(0))) {
            assertEquals("{\"occupied\":false,\"cache\":null}", api.get("/channels/" + channel, Map.of("info", "cache")).getMessage(),
                    "nothing cached before the first publication");
            assertEquals(Result.Status.SUCCESS, api.trigger(channel, "quote", "{\"bid\":7}").getStatus());
            JsonObject answer = await().atMost(TIMEOUT).until(
                    () -> JsonParser.parseString(api.get("/channels/" + channel, Map.of("info", "cache")).getMessage()).getAsJsonObject(),
                    json -> json.get("cache").isJsonObject());
            assertEquals("{\"bid\":7}", answer.getAsJsonObject("cache").get("data").getAsString());
            long ttl = answer.getAsJsonObject("cache").get("ttl").getAsLong();
            assertTrue(ttl > 0 && ttl <= 3600, "seconds the event is still kept, at most the cache TTL: " + ttl);

            Result notACacheChannel = api.get("/channels/" + channels("plain", 1).get(0), Map.of("info", "cache"));
            assertEquals(400, notACacheChannel.getHttpStatus());
            assertTrue(notACacheChannel.getMessage().contains("only available for cache channels"), notACacheChannel.getMessage());
        }
    }

    @Test
    void presenceCacheChannelsReplayTooAfterTheMemberList() throws Exception {
        String channel = "presence-cache-" + channels("room", 1).get(0);
        PresenceTest.Tab first = PresenceTest.join(cluster.gateways().get(0), channel, "ann");
        try (com.pusher.rest.Pusher api = publisher(cluster.gateways().get(1))) {
            assertEquals(Result.Status.SUCCESS, api.trigger(channel, "client-wave", "{\"last\":true}").getStatus());
            await().atMost(TIMEOUT).until(() -> first.heard().size() == 1);
            PresenceTest.Tab second = PresenceTest.join(cluster.gateways().get(1), channel, "bob");
            try {
                await().atMost(TIMEOUT).until(() -> second.heard().size() == 1);
                assertEquals("client-wave from null {\"last\":true}", second.heard().get(0));
                assertEquals(java.util.Set.of("ann", "bob"), second.initialMembers());
            } finally {
                second.close();
            }
        } finally {
            first.close();
        }
    }
}
