package io.herald.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.streams.ClusterSettings;
import io.herald.streams.UserChannels;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /channels} asked through pusher-http-java. The gateway module runs no router, so the
 * interest sets that make channels occupied are written here as the channels' routers would.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class ChannelQueriesTest {

    @TestHTTPResource("/")
    URI root;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @BeforeEach
    void occupyChannels() {
        for (String channel : new String[] {"news", "nows", "presence-room", UserChannels.of("42")}) {
            redis.getSet(cluster.layout().interest("1", channel), StringCodec.INSTANCE).add("gateway-a");
        }
    }

    @AfterEach
    void vacateChannels() {
        redis.getKeys().deleteByPattern(cluster.layout().interest("1", "*"));
    }

    private Set<String> listed(Map<String, String> parameters) {
        Pusher api = new Pusher("1", "herald-key", "herald-secret");
        api.setHost(root.getHost() + ":" + root.getPort());
        api.setEncrypted(false);
        Result result = api.get("/channels", parameters);
        assertEquals(Result.Status.SUCCESS, result.getStatus(), parameters + ": " + result.getMessage());
        return new JsonObject(result.getMessage()).getJsonObject("channels").fieldNames();
    }

    @Test
    void herladsInternalUserChannelsAreNeverListed() {
        assertEquals(Set.of("news", "nows", "presence-room"), listed(Map.of()));
        assertEquals(Set.of(), listed(Map.of("filter_by_prefix", UserChannels.PREFIX)));
        assertEquals(Set.of(), listed(Map.of("filter_by_prefix", "#")));
    }

    @Test
    void globCharactersInThePrefixMatchOnlyThemselves() {
        assertEquals(Set.of("news", "nows"), listed(Map.of("filter_by_prefix", "n")));
        for (String glob : new String[] {"*", "n?ws", "n[eo]ws", "n[^x]", "\\n", "*user-"}) {
            assertEquals(Set.of(), listed(Map.of("filter_by_prefix", glob)), glob);
        }
    }
}
