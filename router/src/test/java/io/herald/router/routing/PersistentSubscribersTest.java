package io.herald.router.routing;

import static io.herald.router.TestStreams.unique;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamRangeArgs;
import org.redisson.client.codec.StringCodec;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.router.TestStreams;
import io.herald.streams.ClusterSettings;
import io.herald.streams.PersistentSubscription;
import io.herald.streams.Publication;
import io.herald.streams.Retention;
import io.herald.streams.ShardStreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Persistent subscriptions as the router applies them, against a real Redis: the user's
 * personal stream gets a copy of each publication made while the user is subscribed, in channel
 * order, kept by the rule the subscription carried.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class PersistentSubscribersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Retention OFFLINE = new Retention(1000, 86_400, 0);

    @Inject
    TestStreams streams;

    @Inject
    ShardStreams shardStreams;

    @Inject
    ClusterSettings cluster;

    @Inject
    RedissonClient redis;

    /** The copies the user's stream kept, as "channel:event:data". */
    private List<String> kept(String user) {
        List<String> copies = new ArrayList<>();
        redis.<String, String>getStream(cluster.layout().history("1", "#server-to-user-" + user), StringCodec.INSTANCE)
                .range(StreamRangeArgs.startId(StreamMessageId.MIN).endId(StreamMessageId.MAX)).values().forEach(fields -> {
                    assertEquals(PersistentSubscribers.CHANNEL_EVENT, fields.get("event"));
                    JsonObject copy = new JsonObject(fields.get("data"));
                    copies.add(copy.getString("channel") + ":" + copy.getString("event") + ":" + copy.getString("data"));
                });
        return copies;
    }

    @Test
    void aSubscribedUsersStreamGetsACopyOfEachPublicationWhileSubscribedInChannelOrder() {
        String channel = unique("news");
        String ann = unique("ann");
        String bob = unique("bob");
        streams.append(new Publication("1", channel, "n", "0", null),
                new PersistentSubscription("1", channel, ann, true, OFFLINE),
                new PersistentSubscription("1", channel, bob, true, OFFLINE),
                new Publication("1", channel, "n", "1", null),
                new Publication("1", channel, "n", "2", null),
                new PersistentSubscription("1", channel, bob, false, Retention.NONE),
                new Publication("1", channel, "n", "3", null));

        await().atMost(TIMEOUT).until(() -> kept(ann).size() == 3);
        assertEquals(List.of(channel + ":n:1", channel + ":n:2", channel + ":n:3"), kept(ann),
                "nothing from before the subscription, everything after, in order");
        assertEquals(List.of(channel + ":n:1", channel + ":n:2"), kept(bob), "nothing after unsubscribing");
        assertEquals(Set.of(channel), redis.<String>getSet(cluster.layout().userSubscriptions("1", ann, 0), StringCodec.INSTANCE)
                .readAll());
        assertEquals(Set.of(), redis.<String>getSet(cluster.layout().userSubscriptions("1", bob, 0), StringCodec.INSTANCE)
                .readAll());
        long ttl = redis.getStream(cluster.layout().history("1", "#server-to-user-" + ann)).remainTimeToLive();
        assertEquals(true, ttl > 86_000_000L, "the copies are kept by the subscription's rule, but the TTL was " + ttl);
    }
}
