package io.herald.gateway.rest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

import io.herald.contract.PodSettings;
import io.herald.local.KubernetesApiTestResource;
import io.herald.streams.ClusterSettings;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * With {@code herald.publish.durability=replicated}, a publication is acknowledged only once a
 * replica confirmed it: a stopped replica (SIGSTOP, as a hung or partitioned one) turns the
 * answer into 503 with Retry-After, and its return turns it back into 200.
 */
@QuarkusTest
@TestProfile(ReplicatedPublishTest.Replicated.class)
@WithTestResource(ReplicatedRedis.class)
@WithTestResource(KubernetesApiTestResource.class)
class ReplicatedPublishTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    public static class Replicated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(PodSettings.PUBLISH_DURABILITY, PodSettings.DURABILITY_REPLICATED,
                    "herald.publish.replication-timeout", "500ms");
        }
    }

    @TestHTTPResource("/")
    URI root;

    @ConfigProperty(name = "test.redis.replica-pid")
    long replicaPid;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    private HttpResponse<String> publish() throws Exception {
        String body = new JsonObject().put("name", "e").put("channel", "durable").put("data", "{}").encode();
        return new SignedPosts(root).post("/apps/1/events", body);
    }

    private void signalReplica(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(replicaPid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }

    @Test
    void aPublicationIsAcknowledgedOnlyWhileAReplicaConfirmsIt() throws Exception {
        String stream = cluster.layout().shardStream(cluster.shardOf("1", "durable"));
        long before = redis.getStream(stream).size();
        assertEquals(200, publish().statusCode());

        signalReplica("STOP");
        try {
            HttpResponse<String> refused = publish();
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
            assertTrue(new JsonObject(refused.body()).getString("error").contains("no replica confirmed"), refused.body());
        } finally {
            signalReplica("CONT");
        }
        await().atMost(TIMEOUT).until(() -> publish().statusCode() == 200);
        assertTrue(redis.getStream(stream).size() >= before + 3, "the refused one is on the primary all the same");
    }
}
