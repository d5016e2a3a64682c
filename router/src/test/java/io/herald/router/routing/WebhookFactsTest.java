package io.herald.router.routing;

import static io.herald.router.TestStreams.unique;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.router.TestStreams;
import io.herald.streams.CacheRequest;
import io.herald.streams.ClusterSettings;
import io.herald.streams.InterestChange;
import io.herald.streams.PresenceJoin;
import io.herald.streams.PresenceLeave;
import io.herald.streams.Publication;
import io.herald.streams.StreamLayout;
import io.herald.streams.UserChannels;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.WithTestResource;

/**
 * The router decides the webhook facts of its channels once each, where the state they report
 * changes: occupancy with the channel's interest set, members with the presence table, cache
 * misses with the cache answer.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class WebhookFactsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    TestStreams streams;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Test
    void aChannelIsOccupiedByItsFirstGatewayAndVacatedByItsLast() {
        String a = unique("gw-a");
        String b = unique("gw-b");
        String channel = unique("room");
        streams.append(new InterestChange("1", channel, a, true), new InterestChange("1", channel, b, true),
                new InterestChange("1", channel, a, true), new InterestChange("1", channel, a, false),
                new Publication("1", channel, "e", "{}", null), new InterestChange("1", channel, b, false));

        await().atMost(TIMEOUT).until(() -> streams.webhookFacts(channel).size() == 2);
        assertEquals(List.of("channel_occupied", "channel_vacated"), streams.webhookFacts(channel));
    }

    @Test
    void aBatchWhoseWriteFailedDecidesItsFactsOnceWhenReplayed() {
        String gateway = unique("gw");
        String channel = unique("orders");
        // The delivery's XADD fails inside the fenced script, after the channel's interest and fact were written.
        redis.getBucket(cluster.layout().inbox(gateway, 0), StringCodec.INSTANCE).set("not a stream");
        streams.append(new InterestChange("1", channel, gateway, true), new Publication("1", channel, "e", "first", null));
        RStream<String, String> shard = redis.getStream(cluster.layout().shardStream(cluster.shardOf("1", channel)),
                StringCodec.INSTANCE);
        await().atMost(TIMEOUT).until(() -> shard.getPendingInfo(StreamLayout.ROUTER_GROUP).getTotal() > 0);

        redis.getBucket(cluster.layout().inbox(gateway, 0)).delete();
        streams.append(new Publication("1", channel, "e", "second", null), new InterestChange("1", channel, gateway, false));

        await().atMost(TIMEOUT).until(() -> streams.webhookFacts(channel).contains("channel_vacated"));
        assertEquals(List.of("channel_occupied", "channel_vacated"), streams.webhookFacts(channel));
    }

    @Test
    void aUserIsAMemberFromTheirFirstConnectionToTheirLast() {
        String a = unique("gw-a");
        String b = unique("gw-b");
        String channel = "presence-" + unique("room");
        streams.append(new InterestChange("1", channel, a, true), new InterestChange("1", channel, b, true),
                new PresenceJoin("1", channel, a, "1.1", "ann", null, false),
                new PresenceJoin("1", channel, b, "2.1", "ann", null, false),
                new PresenceJoin("1", channel, b, "2.2", "bob", null, false),
                new PresenceLeave("1", channel, a, "1.1"),
                new PresenceLeave("1", channel, b, "2.1"));

        await().atMost(TIMEOUT).until(() -> streams.webhookFacts(channel).contains("member_removed ann"));
        assertEquals(List.of("channel_occupied", "member_added ann", "member_added bob", "member_removed ann"),
                streams.webhookFacts(channel));
    }

    @Test
    void aCacheRequestThatFindsNothingIsACacheMissAndHeraldsOwnChannelsHaveNoFacts() {
        String a = unique("gw-a");
        String empty = "cache-" + unique("prices");
        String kept = "cache-" + unique("prices");
        String user = UserChannels.of(unique("ann"));
        streams.append(new InterestChange("1", user, a, true), new InterestChange("1", kept, a, true),
                new Publication("1", kept, "tick", "{}", null), new CacheRequest("1", kept, a, "1.1"),
                new InterestChange("1", empty, a, true), new CacheRequest("1", empty, a, "1.2"));

        await().atMost(TIMEOUT).until(() -> streams.webhookFacts(empty).size() == 2);
        assertEquals(List.of("channel_occupied", "cache_miss"), streams.webhookFacts(empty));
        assertEquals(List.of("channel_occupied"), streams.webhookFacts(kept));
        assertEquals(List.of(), streams.webhookFacts(user));
    }
}
