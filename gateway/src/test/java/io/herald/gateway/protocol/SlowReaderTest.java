package io.herald.gateway.protocol;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.herald.gateway.fanout.LocalSubscriptions;
import io.herald.local.KubernetesApiTestResource;
import io.herald.local.MetricsScrape;
import io.herald.local.RedisTestResource;
import io.herald.local.TestSocket;
import io.herald.streams.Delivery;
import io.herald.streams.Publication;
import io.herald.streams.StreamOffset;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A subscriber that stops reading is disconnected with 4100 once its unwritten output passes the
 * limit, while a healthy subscriber of the same channel on the same gateway receives everything.
 * The cut shows in the gateway's metrics.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class SlowReaderTest {

    private static final int EVENTS = 2000;

    @TestHTTPResource("/")
    URI root;

    @Inject
    LocalSubscriptions subscriptions;

    @Inject
    Connections connections;

    @Test
    void aStalledReaderIsCutOffWithoutHurtingTheOthers() throws Exception {
        String channel = "firehose-" + System.nanoTime();
        String subscribe = "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}";
        try (StalledSocket stalled = new StalledSocket(root.getHost(), root.getPort(), "/app/herald-key?protocol=7");
                TestSocket healthy = TestSocket.open(URI.create(root.toString().replaceFirst("^http", "ws") + "app/herald-key"))) {
            assertTrue(stalled.read().text().contains("connection_established"));
            stalled.sendText(subscribe);
            assertTrue(stalled.read().text().contains("subscription_succeeded"));
            healthy.next();
            healthy.send(subscribe);
            assertEquals("pusher_internal:subscription_succeeded", healthy.next().getString("event"));
            int before = connections.count();
            MetricsScrape beforeTheCut = MetricsScrape.of(root);

            // 2000 events of 10 KB, about 20 MB: far beyond the socket buffers and the 1 MiB limit.
            // They come in bursts of 200 KB that a reading client absorbs easily.
            String data = "x".repeat(10 * 1024);
            for (int i = 1; i <= EVENTS; i++) {
                subscriptions.deliver(new Delivery(new Publication("1", channel, "big", data, null), new StreamOffset(i, 0)));
                if (i % 20 == 0) {
                    for (int j = 0; j < 20; j++) {
                        assertEquals("big", healthy.next().getString("event"));
                    }
                }
            }

            // The stalled client wakes up: it finds what was buffered before the cut, then the
            // connection's end (a 4100 close frame, or just the end of the stream when the server
            // gave up waiting for it to read the close frame).
            int eventsBeforeTheCut = 0;
            try {
                for (StalledSocket.Frame frame = stalled.read(); ; frame = stalled.read()) {
                    if (frame.opcode() == 0x8) {
                        assertEquals(CloseCodes.OVER_CAPACITY, frame.closeCode());
                        stalled.sendClose(frame.payload());
                        break;
                    }
                    eventsBeforeTheCut++;
                }
            } catch (java.io.EOFException closedByTheServer) {
                // the server closed the TCP connection
            }
            assertTrue(eventsBeforeTheCut < EVENTS, "it was cut off, not served everything: " + eventsBeforeTheCut);
            await().atMost(Duration.ofSeconds(60)).until(() -> connections.count() == before - 1);
            assertEquals(beforeTheCut.value("herald_gateway_slow_disconnects_total") + 1,
                    MetricsScrape.of(root).value("herald_gateway_slow_disconnects_total"));
        }
    }
}
