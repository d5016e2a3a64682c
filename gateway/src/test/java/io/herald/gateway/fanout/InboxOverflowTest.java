package io.herald.gateway.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.MetricsScrape;
import io.herald.local.RedisTestResource;
import io.herald.local.TestSocket;
import io.herald.streams.ClusterSettings;
import io.herald.streams.Delivery;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.Publication;
import io.herald.streams.StreamOffset;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * A gateway whose inbox was trimmed past what it read (it fell further behind than the routers'
 * length cap) tells every receiver that events were lost, rather than going on as if nothing
 * happened, and counts it.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class InboxOverflowTest {

    /** Adds ARGV[1] copies of the entry (fields from ARGV[3]) with a length cap of ARGV[2], all at once. */
    private static final String FLOOD = """
            local fields = {}
            for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
            for i = 1, tonumber(ARGV[1]) do
              redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[2], '*', unpack(fields))
            end
            return 1
            """;

    @TestHTTPResource("/")
    URI root;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @ConfigProperty(name = "herald.inbox.batch-size", defaultValue = "1024")
    int batchSize;

    @Test
    void receiversAreToldWhenDeliveriesWereTrimmedFromTheInboxBeforeTheGatewayReadThem() throws Exception {
        String channel = "overflowed-" + System.nanoTime();
        MetricsScrape before = MetricsScrape.of(root);
        try (TestSocket socket = subscribed(channel)) {
            // A full batch reaches the gateway, and 10 deliveries before it were trimmed unread. They
            // are for a channel nobody here subscribes to: which channels lost events is unknowable.
            floodInbox(batchSize + 10, batchSize);

            JsonObject lost = socket.next();
            assertEquals(DataLossRecovery.MESSAGES_LOST, lost.getString("event"));
            assertEquals(channel, lost.getString("channel"));
            assertEquals("gateway-inbox-overflow", new JsonObject(lost.getString("data")).getString("reason"));
        }
        assertEquals(before.value("herald_gateway_inbox_overflows_total") + 1,
                MetricsScrape.of(root).value("herald_gateway_inbox_overflows_total"));
    }

    @Test
    void aGatewayThatKeepsUpWithFullBatchesSignalsNothing() throws Exception {
        String channel = "kept-up-" + System.nanoTime();
        MetricsScrape before = MetricsScrape.of(root);
        try (TestSocket socket = subscribed(channel)) {
            floodInbox(batchSize * 2, 100_000);
            // Then one delivery on the subscribed channel: it arrives, with no loss signalled before it.
            Delivery mine = new Delivery(new Publication("1", channel, "after", "{}", null), new StreamOffset(2, 0));
            redis.<String, String>getStream(cluster.layout().inbox(cluster.nodeId(), 0), StringCodec.INSTANCE)
                    .add(StreamAddArgs.entries(EnvelopeCodec.encode(mine)));
            assertEquals("after", socket.next().getString("event"));
        }
        assertEquals(before.value("herald_gateway_inbox_overflows_total"),
                MetricsScrape.of(root).value("herald_gateway_inbox_overflows_total"));
    }

    private TestSocket subscribed(String channel) throws Exception {
        TestSocket socket = TestSocket.open(URI.create(root.toString().replaceFirst("^http", "ws") + "app/herald-key"));
        socket.next();
        socket.send("pusher:subscribe", new JsonObject().put("channel", channel));
        assertEquals("pusher_internal:subscription_succeeded", socket.next().getString("event"));
        return socket;
    }

    /** Adds {@code count} deliveries for a channel without subscribers to the inbox at once, capped at {@code maxLength}. */
    private void floodInbox(int count, int maxLength) {
        Delivery elsewhere = new Delivery(new Publication("1", "nobody-here", "e", "{}", null), new StreamOffset(1, 0));
        List<Object> arguments = new ArrayList<>(List.of(Integer.toString(count), Integer.toString(maxLength)));
        EnvelopeCodec.encode(elsewhere).forEach((field, value) -> {
            arguments.add(field);
            arguments.add(value);
        });
        redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, FLOOD, RScript.ReturnType.LONG,
                List.of(cluster.layout().inbox(cluster.nodeId(), 0)), arguments.toArray());
    }
}
