package io.herald.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    @Test
    void publicationsSurviveTheRoundTripByteForByte() {
        Publication publication = new Publication("1", "orders", "created", "{\"id\":\"é\\n\"}", "12.34");
        assertEquals(publication, EnvelopeCodec.decodeShardEntry(EnvelopeCodec.encode(publication)));
    }

    @Test
    void clientEventsCarryTheSendersUserId() {
        Publication publication = new Publication("1", "presence-room", "client-typing", "{}", "12.34", "user-7");
        assertEquals(publication, EnvelopeCodec.decodeShardEntry(EnvelopeCodec.encode(publication)));
    }

    @Test
    void exclusionIsOptional() {
        Publication publication = new Publication("1", "orders", "created", "", null);
        Map<String, String> fields = EnvelopeCodec.encode(publication);
        assertEquals(false, fields.containsKey("exclude"));
        assertEquals(publication, EnvelopeCodec.decodeShardEntry(fields));
    }

    @Test
    void interestChangesSurviveTheRoundTrip() {
        InterestChange gained = new InterestChange("1", "orders", "gateway-a", true);
        InterestChange lost = new InterestChange("1", "orders", "gateway-a", false);
        assertEquals(gained, EnvelopeCodec.decodeShardEntry(EnvelopeCodec.encode(gained)));
        assertEquals(lost, EnvelopeCodec.decodeShardEntry(EnvelopeCodec.encode(lost)));
    }

    @Test
    void presenceEntriesSurviveTheRoundTrip() {
        PresenceJoin join = new PresenceJoin("1", "presence-room", "gw-a", "1.2", "42", "{\"name\":\"Ann\"}");
        PresenceJoin withoutInfo = new PresenceJoin("1", "presence-room", "gw-a", "1.2", "42", null);
        PresenceLeave leave = new PresenceLeave("1", "presence-room", "gw-a", "1.2");
        assertEquals(join, EnvelopeCodec.decodeShardEntry(EnvelopeCodec.encode(join)));
        assertEquals(withoutInfo, EnvelopeCodec.decodeShardEntry(EnvelopeCodec.encode(withoutInfo)));
        assertEquals(leave, EnvelopeCodec.decodeShardEntry(EnvelopeCodec.encode(leave)));
        PresenceAnswer answer = new PresenceAnswer("1", "presence-room", "1.2", "{\"presence\":{}}", null);
        PresenceAnswer refusal = new PresenceAnswer("1", "presence-room", "1.2", null, "full");
        assertEquals(answer, EnvelopeCodec.decodeInboxEntry(EnvelopeCodec.encode(answer)));
        assertEquals(refusal, EnvelopeCodec.decodeInboxEntry(EnvelopeCodec.encode(refusal)));
    }

    @Test
    void cacheRequestsAndAnswersSurviveTheRoundTrip() {
        CacheRequest request = new CacheRequest("1", "cache-prices", "gw-a", "1.2");
        assertEquals(request, EnvelopeCodec.decodeShardEntry(EnvelopeCodec.encode(request)));
        CacheAnswer hit = new CacheAnswer("1", "cache-prices", "1.2", "tick", "{\"p\":1}");
        CacheAnswer miss = new CacheAnswer("1", "cache-prices", "1.2", null, null);
        assertEquals(hit, EnvelopeCodec.decodeInboxEntry(EnvelopeCodec.encode(hit)));
        assertEquals(miss, EnvelopeCodec.decodeInboxEntry(EnvelopeCodec.encode(miss)));
    }

    @Test
    void subscriptionCountChangesAndTheirWebhookFactsSurviveTheRoundTrip() {
        SubscriptionCountChange change = new SubscriptionCountChange("1", "news");
        assertEquals(change, EnvelopeCodec.decodeShardEntry(EnvelopeCodec.encode(change)));
        WebhookFact fact = WebhookFact.subscriptionCount("1", "news", 42);
        assertEquals(fact, EnvelopeCodec.decodeWebhookFact(EnvelopeCodec.encode(fact)));
        assertEquals("42", EnvelopeCodec.encode(fact).get("subscription_count"));
    }

    @Test
    void watchlistEventsAreJsonWithEscapedIds() {
        assertEquals("{\"events\":[{\"name\":\"online\",\"user_ids\":[\"7\",\"a\\\"b\"]}]}",
                UserChannels.watchlistEvents("online", java.util.List.of("7", "a\"b")));
    }

    @Test
    void deliveriesCarryTheirOffset() {
        Delivery delivery = new Delivery(new Publication("1", "orders", "created", "{}", null), new StreamOffset(1700000000000L, 3));
        Delivery decoded = (Delivery) EnvelopeCodec.decodeInboxEntry(EnvelopeCodec.encode(delivery));
        assertEquals(delivery, decoded);
        assertEquals("1700000000000-3", decoded.offset().toString());
    }

    @Test
    void publicationsCarryWhatTheirChannelKeepsToTheRouterAndDeliveriesTheirPosition() {
        Publication kept = new Publication("1", "chat", "said", "{}", null, "u1", new Retention(100, 120, 86400));
        assertEquals(kept, EnvelopeCodec.decodeShardEntry(EnvelopeCodec.encode(kept)));
        Publication plain = new Publication("1", "chat", "said", "{}", null);
        assertEquals(Retention.NONE, ((Publication) EnvelopeCodec.decodeShardEntry(EnvelopeCodec.encode(plain))).retention(),
                "what older gateways send keeps nothing");

        Delivery positioned = new Delivery(plain, new StreamOffset(5, 0), new Position("q3k9zt", 42));
        assertEquals(positioned, EnvelopeCodec.decodeInboxEntry(EnvelopeCodec.encode(positioned)));
    }

    @Test
    void recoveryRequestsAndAnswersSurviveTheirEnvelope() {
        RecoveryRequest fresh = new RecoveryRequest("1", "chat", "gw@1", "1.2", null);
        RecoveryRequest since = new RecoveryRequest("1", "chat", "gw@1", "1.2", new Position("e", 7));
        assertEquals(fresh, EnvelopeCodec.decodeShardEntry(EnvelopeCodec.encode(fresh)));
        assertEquals(since, EnvelopeCodec.decodeShardEntry(EnvelopeCodec.encode(since)));

        RecoveryAnswer answer = new RecoveryAnswer("1", "chat", "1.2", new Position("e", 7), new Position("e", 9), true, List.of());
        assertEquals(answer, EnvelopeCodec.decodeInboxEntry(EnvelopeCodec.encode(answer)));
        assertEquals(2, answer.gap());
        RecoveryAnswer first = new RecoveryAnswer("1", "chat", "1.2", null, new Position("e", 9), true, List.of());
        assertEquals(first, EnvelopeCodec.decodeInboxEntry(EnvelopeCodec.encode(first)));
        RecoveryAnswer failed = new RecoveryAnswer("1", "chat", "1.2", new Position("e", 7), new Position("f", 0), false, List.of());
        assertEquals(failed, EnvelopeCodec.decodeInboxEntry(EnvelopeCodec.encode(failed)));
        assertEquals(0, failed.gap());
        assertThrows(MalformedEnvelopeException.class, () -> EnvelopeCodec.decodeShardEntry(Map.of("type", "recovery-request",
                "app", "1", "channel", "c", "gateway", "g", "socket", "1.1", "epoch", "e", "position", "-3")));
    }

    @Test
    void persistentSubscriptionsCarryWhatTheUsersStreamKeepsOfEachCopy() {
        PersistentSubscription subscribed = new PersistentSubscription("1", "news", "u:7", true, new Retention(1000, 86400, 0));
        PersistentSubscription withdrawn = new PersistentSubscription("1", "news", "u:7", false, Retention.NONE);
        assertEquals(subscribed, EnvelopeCodec.decodeShardEntry(EnvelopeCodec.encode(subscribed)));
        assertEquals(withdrawn, EnvelopeCodec.decodeShardEntry(EnvelopeCodec.encode(withdrawn)));
        assertThrows(MalformedEnvelopeException.class, () -> EnvelopeCodec.decodeShardEntry(Map.of("type",
                "persistent-subscription", "app", "1", "channel", "news", "subscribed", "1")));
    }

    @Test
    void rejectsWhatItDoesNotUnderstand() {
        assertThrows(MalformedEnvelopeException.class, () -> EnvelopeCodec.decodeShardEntry(Map.of("type", "gossip")));
        assertThrows(MalformedEnvelopeException.class,
                () -> EnvelopeCodec.decodeShardEntry(Map.of("type", "publish", "app", "1", "channel", "c")));
        assertThrows(MalformedEnvelopeException.class, () -> EnvelopeCodec.decodeShardEntry(Map.of()));
        assertThrows(MalformedEnvelopeException.class, () -> StreamOffset.parse("12"));
        assertThrows(MalformedEnvelopeException.class, () -> StreamOffset.parse("a-b"));
    }

    @Test
    void offsetsOrderAsRedisOrdersEntryIds() {
        assertEquals(-1, Integer.signum(StreamOffset.parse("5-9").compareTo(StreamOffset.parse("6-0"))));
        assertEquals(-1, Integer.signum(StreamOffset.parse("6-2").compareTo(StreamOffset.parse("6-10"))));
        assertEquals(0, StreamOffset.parse("6-2").compareTo(new StreamOffset(6, 2)));
    }
}
