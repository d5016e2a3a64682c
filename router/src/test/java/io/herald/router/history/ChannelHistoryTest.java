package io.herald.router.history;

import static io.herald.router.TestStreams.unique;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamRangeArgs;
import org.redisson.client.codec.StringCodec;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.router.TestStreams;
import io.herald.streams.ClusterSettings;
import io.herald.streams.Delivery;
import io.herald.streams.InboxEntry;
import io.herald.streams.InterestChange;
import io.herald.streams.Position;
import io.herald.streams.Publication;
import io.herald.streams.RecoveryAnswer;
import io.herald.streams.RecoveryRequest;
import io.herald.streams.Retention;
import io.herald.streams.ShardEntry;
import io.herald.streams.ShardStreams;
import io.herald.streams.StreamLayout;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Positions and history as the router keeps them, against a real Redis: what lands in a
 * gateway's inbox, and what the channel's records in Redis hold.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class ChannelHistoryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Retention HUNDRED_FOR_TWO_MINUTES = new Retention(100, 120, 0);

    @Inject
    TestStreams streams;

    @Inject
    ShardStreams shardStreams;

    @Inject
    ClusterSettings cluster;

    @Inject
    RedissonClient redis;

    private RecoveryAnswer answer(String gateway, String socket) {
        return await().atMost(TIMEOUT).until(() -> streams.inbox(gateway).stream().filter(RecoveryAnswer.class::isInstance)
                .map(RecoveryAnswer.class::cast).filter(answer -> answer.socketId().equals(socket)).findFirst().orElse(null),
                answer -> answer != null);
    }

    private static List<Publication> numbered(String channel, int from, int to, Retention retention) {
        List<Publication> publications = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            publications.add(new Publication("1", channel, "n", Integer.toString(i), null, null, retention));
        }
        return publications;
    }

    /** Subscribes a gateway and waits until the router recorded it, so later publications reach it. */
    private void interest(String gateway, String channel) {
        streams.append(new InterestChange("1", channel, gateway, true));
        await().atMost(TIMEOUT).until(() -> redis.getSet(cluster.layout().interest("1", channel)).contains(gateway));
    }

    @Test
    void publicationsGetConsecutivePositionsAndTheHistoryKeepsTheLastOnesOfTheRule() {
        String gateway = unique("gw");
        String channel = unique("ticks");
        interest(gateway, channel);
        streams.append(numbered(channel, 1, 250, HUNDRED_FOR_TWO_MINUTES));

        await().atMost(TIMEOUT).until(() -> streams.deliveries(gateway).size() == 250);
        List<Delivery> deliveries = streams.deliveries(gateway);
        String epoch = deliveries.get(0).position().epoch();
        for (int i = 0; i < 250; i++) {
            assertEquals(new Position(epoch, i + 1), deliveries.get(i).position());
            assertEquals(Integer.toString(i + 1), deliveries.get(i).publication().data());
        }
        Map<String, String> record = redis.<String, String>getMap(cluster.layout().position("1", channel), StringCodec.INSTANCE)
                .readAllMap();
        assertEquals(Map.of("epoch", epoch, "offset", "250"), record);
        RStream<String, String> history = redis.getStream(cluster.layout().history("1", channel), StringCodec.INSTANCE);
        Map<StreamMessageId, Map<String, String>> kept = history.range(StreamRangeArgs.startId(StreamMessageId.MIN)
                .endId(StreamMessageId.MAX));
        assertEquals(100, kept.size());
        assertEquals(new StreamMessageId(151, 0), kept.keySet().iterator().next());
        assertEquals("250", kept.get(new StreamMessageId(250, 0)).get("data"));
        long ttl = history.remainTimeToLive();
        assertTrue(ttl > 100_000 && ttl <= 120_000, "history expires with its rule, but its TTL was " + ttl);
        assertTrue(redis.getMap(cluster.layout().position("1", channel)).remainTimeToLive() > 3_600_000,
                "the position record outlives the history");
    }

    @Test
    void aRecoveryIsAnsweredAtItsPlaceInChannelOrderOnceHistoryHoldsEveryEventBeforeIt() {
        String gateway = unique("gw");
        String channel = unique("chat");
        interest(gateway, channel);
        streams.append(numbered(channel, 1, 10, HUNDRED_FOR_TWO_MINUTES));
        await().atMost(TIMEOUT).until(() -> streams.deliveries(gateway).size() == 10);
        String epoch = streams.deliveries(gateway).get(0).position().epoch();

        // One append: the request sits between publications, so the answer is built mid-batch.
        List<ShardEntry> entries = new ArrayList<>(numbered(channel, 11, 12, HUNDRED_FOR_TWO_MINUTES));
        entries.add(new RecoveryRequest("1", channel, gateway, "1.1", new Position(epoch, 4)));
        entries.addAll(numbered(channel, 13, 13, HUNDRED_FOR_TWO_MINUTES));
        streams.append(entries);

        RecoveryAnswer answer = answer(gateway, "1.1");
        assertTrue(answer.recovered());
        assertEquals(new Position(epoch, 4), answer.since());
        assertEquals(new Position(epoch, 12), answer.current());
        assertEquals(8, answer.gap());
        assertTrue(answer.events().isEmpty(), "the gateway reads the events from history");
        Map<StreamMessageId, Map<String, String>> history = redis.<String, String>getStream(cluster.layout().history("1", channel),
                StringCodec.INSTANCE).range(StreamRangeArgs.startId(new StreamMessageId(5, 0)).endId(new StreamMessageId(12, 0)));
        assertEquals(List.of("5", "6", "7", "8", "9", "10", "11", "12"), history.values().stream().map(f -> f.get("data")).toList());
        await().atMost(TIMEOUT).until(() -> streams.deliveries(gateway).size() == 13);
        List<InboxEntry> inbox = streams.inbox(gateway);
        assertEquals(13L, ((Delivery) inbox.get(inbox.indexOf(answer) + 1)).position().offset(),
                "the first live event after the answer is the one after its position");
    }

    @Test
    void aRecoveryFailsAtOnceWhenTheEpochChangedOrThePositionIsAheadOfTheChannel() {
        String gateway = unique("gw");
        String channel = unique("news");
        interest(gateway, channel);
        streams.append(numbered(channel, 1, 20, new Retention(5, 120, 0)));
        await().atMost(TIMEOUT).until(() -> streams.deliveries(gateway).size() == 20);
        String epoch = streams.deliveries(gateway).get(0).position().epoch();

        streams.append(new RecoveryRequest("1", channel, gateway, "1.1", new Position(epoch, 4)),
                new RecoveryRequest("1", channel, gateway, "1.2", new Position("another", 19)),
                new RecoveryRequest("1", channel, gateway, "1.3", new Position(epoch, 16)),
                new RecoveryRequest("1", channel, gateway, "1.4", new Position(epoch, 20)),
                new RecoveryRequest("1", channel, gateway, "1.5", new Position(epoch, 21)));

        assertTrue(answer(gateway, "1.1").recovered(), "15 missed, 5 kept: the gateway finds they are gone when it reads them");
        assertEquals(16, answer(gateway, "1.1").gap());
        assertFalse(answer(gateway, "1.2").recovered(), "another epoch");
        assertEquals(4, answer(gateway, "1.3").gap());
        assertTrue(answer(gateway, "1.4").recovered() && answer(gateway, "1.4").gap() == 0, "nothing missed");
        assertFalse(answer(gateway, "1.5").recovered(), "a position the channel never reached");
        assertEquals(new Position(epoch, 20), answer(gateway, "1.2").current());
    }

    @Test
    void aChannelWithoutHistoryStillGivesPositions() {
        String gateway = unique("gw");
        String channel = unique("quiet");
        interest(gateway, channel);
        streams.append(new RecoveryRequest("1", channel, gateway, "1.1", null));
        Position first = answer(gateway, "1.1").current();
        assertEquals(0, first.offset(), "a channel nobody published on yet is at offset 0 of a new epoch");

        streams.append(numbered(channel, 1, 3, Retention.NONE));
        await().atMost(TIMEOUT).until(() -> streams.deliveries(gateway).size() == 3);
        assertEquals(new Position(first.epoch(), 3), streams.deliveries(gateway).get(2).position(),
                "the epoch a subscriber learned before the first event is the one events then get");
        assertFalse(redis.getStream(cluster.layout().history("1", channel)).isExists());

        streams.append(new RecoveryRequest("1", channel, gateway, "1.2", new Position(first.epoch(), 3)),
                new RecoveryRequest("1", channel, gateway, "1.3", new Position(first.epoch(), 1)));
        assertTrue(answer(gateway, "1.2").recovered() && answer(gateway, "1.2").gap() == 0);
        assertEquals(2, answer(gateway, "1.3").gap(), "two to read, which the gateway will not find in history");
    }

    @Test
    void aChannelWhosePositionRecordWasLostStartsANewEpochWithoutTheStaleHistory() {
        String gateway = unique("gw");
        String channel = unique("lost");
        interest(gateway, channel);
        streams.append(numbered(channel, 1, 5, HUNDRED_FOR_TWO_MINUTES));
        await().atMost(TIMEOUT).until(() -> streams.deliveries(gateway).size() == 5);
        String epoch = streams.deliveries(gateway).get(0).position().epoch();

        // As after an eviction or a restarted router that never cached it: the record is gone, the history not.
        redis.getMap(cluster.layout().position("1", channel)).delete();
        String other = unique("other-gw");
        streams.append(new RecoveryRequest("1", channel, other, "2.1", new Position(epoch, 5)));
        RecoveryAnswer answer = answer(other, "2.1");
        // The router that routed the channel still knows its position: nothing was lost for it.
        assertEquals(new Position(epoch, 5), answer.current());
        assertTrue(answer.recovered());
        assertNotEquals("", answer.current().epoch());
    }

    @Test
    void aBatchThatFailedHalfWayIsReplayedWithTheSamePositionsAndKeepsEachEventOnceInHistory() {
        String gateway = unique("gw");
        String channel = unique("replayed");
        interest(gateway, channel);
        // The delivery fails inside the fenced script after the history append ran: Redis keeps that half.
        redis.getBucket(cluster.layout().inbox(gateway, 0), StringCodec.INSTANCE).set("not a stream");
        streams.append(numbered(channel, 1, 3, HUNDRED_FOR_TWO_MINUTES));
        RStream<String, String> shard = redis.getStream(cluster.layout().shardStream(cluster.shardOf("1", channel)),
                StringCodec.INSTANCE);
        await().atMost(TIMEOUT).until(() -> shard.getPendingInfo(StreamLayout.ROUTER_GROUP).getTotal() > 0
                && redis.getStream(cluster.layout().history("1", channel)).isExists());

        redis.getBucket(cluster.layout().inbox(gateway, 0)).delete();
        streams.append(numbered(channel, 4, 5, HUNDRED_FOR_TWO_MINUTES));

        await().atMost(TIMEOUT).until(() -> streams.deliveries(gateway).size() == 5);
        List<Delivery> deliveries = streams.deliveries(gateway);
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, deliveries.get(i).position().offset());
            assertEquals(Integer.toString(i + 1), deliveries.get(i).publication().data());
        }
        Map<StreamMessageId, Map<String, String>> kept = redis.<String, String>getStream(cluster.layout().history("1", channel),
                StringCodec.INSTANCE).range(StreamRangeArgs.startId(StreamMessageId.MIN).endId(StreamMessageId.MAX));
        assertEquals(List.of("1", "2", "3", "4", "5"), kept.values().stream().map(fields -> fields.get("data")).toList());
    }
}
