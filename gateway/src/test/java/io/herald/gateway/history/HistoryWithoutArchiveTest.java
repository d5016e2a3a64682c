package io.herald.gateway.history;

import static io.herald.gateway.history.HistoryReads.offsets;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

import io.herald.local.KubernetesApiTestResource;
import io.herald.local.RedisTestResource;
import io.herald.streams.ClusterSettings;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * A gateway without {@code herald.mongodb.uri} reads history from Redis alone: it answers at once
 * rather than after the MongoDB client's server selection timeout, with what Redis holds.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@WithTestResource(KubernetesApiTestResource.class)
class HistoryWithoutArchiveTest {

    @TestHTTPResource("/")
    URI root;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @AfterEach
    void forgetHistory() {
        HistoryReads.forgetHot(redis, cluster.layout());
    }

    @Test
    void whatRedisNoLongerHoldsIsMissingAndTheOffsetsShowIt() {
        HistoryReads.writeHot(redis, cluster.layout(), "chat", "e1", 201, 300);
        HistoryReads reads = new HistoryReads(root);

        JsonObject answer = reads.read("chat", Map.of("after", "0", "limit", "1000"));
        assertEquals("e1", answer.getString("epoch"));
        assertEquals(300L, answer.getLong("offset"));
        assertEquals(LongStream.rangeClosed(201, 300).boxed().toList(), offsets(answer));
        assertEquals(List.of(), offsets(reads.read("chat", Map.of("epoch", "older"))), "older epochs are only archived");
        assertEquals(List.of(), offsets(reads.read("idle", Map.of())));
    }
}
