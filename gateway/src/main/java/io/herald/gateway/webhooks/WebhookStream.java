package io.herald.gateway.webhooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.AutoClaimResult;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamConsumer;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;

import io.herald.streams.ClusterSettings;
import io.herald.streams.ConsumerGroups;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.StreamLayout;
import io.herald.streams.WebhookFact;

/**
 * The gateway's side of the cluster's webhook stream: it appends the facts only a gateway sees
 * (client events), and reads the stream through the consumer group {@link StreamLayout#WEBHOOK_GROUP},
 * so each fact goes to one gateway. An entry leaves the stream once sent or given up, so the
 * stream's length is the cluster's unsent backlog; entries a gateway read and never finished (it
 * died) are taken over by another once they have been idle for long.
 */
@ApplicationScoped
public class WebhookStream {

    private static final String ACK_AND_DELETE = """
            redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2))
            return redis.call('XDEL', KEYS[1], unpack(ARGV, 2))
            """;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    /** The same cap routers apply to the facts they append. */
    @ConfigProperty(name = "herald.webhooks.max-length", defaultValue = "100000")
    int maxLength;

    private RStream<String, String> stream;
    private StreamMessageId claimCursor = new StreamMessageId(0, 0);

    @PostConstruct
    void init() {
        stream = redis.getStream(cluster.layout().webhooks(), StringCodec.INSTANCE);
    }

    public CompletionStage<StreamMessageId> append(WebhookFact fact) {
        return stream.addAsync(StreamAddArgs.entries(EnvelopeCodec.encode(fact)).trimNonStrict().maxLen(maxLength).noLimit());
    }

    /** Creates the group unless it exists: at start, and again after Redis lost its data. */
    void ensureGroup() {
        ConsumerGroups.createIfMissing(stream, StreamLayout.WEBHOOK_GROUP);
    }

    /** Entries no gateway has read yet, waiting up to {@code block} for some. */
    Map<StreamMessageId, Map<String, String>> readNew(int count, Duration block) {
        Map<StreamMessageId, Map<String, String>> read = stream.readGroup(StreamLayout.WEBHOOK_GROUP, cluster.nodeId(),
                StreamReadGroupArgs.neverDelivered().count(count).timeout(block));
        return read == null ? Map.of() : read;
    }

    /**
     * Takes over up to {@code count} entries that some gateway read at least {@code idle} ago and
     * never finished: longer than any send with its retries takes, so their reader is gone.
     */
    Map<StreamMessageId, Map<String, String>> claimStale(Duration idle, int count) {
        AutoClaimResult<String, String> claimed = stream.autoClaim(StreamLayout.WEBHOOK_GROUP, cluster.nodeId(),
                idle.toMillis(), TimeUnit.MILLISECONDS, claimCursor, count);
        claimCursor = claimed.getNextId();
        if (!claimed.getDeletedIds().isEmpty()) {
            done(claimed.getDeletedIds());
        }
        return claimed.getMessages() == null ? Map.of() : claimed.getMessages();
    }

    /**
     * Removes the group's consumers that own no entry and did not read for {@code idle}: gateways
     * that are gone (each incarnation reads under a name of its own), whose entries, if any, were
     * taken over. Without this, every restart would leave a name in the group for good. A live
     * gateway reads every second, so it is never that idle; were it removed, its next read would
     * bring it back with nothing lost, since only consumers without entries go.
     *
     * @return how many were removed
     */
    int forgetIdleConsumers(Duration idle) {
        int removed = 0;
        for (StreamConsumer consumer : stream.listConsumers(StreamLayout.WEBHOOK_GROUP)) {
            if (consumer.getPending() == 0 && consumer.getIdleTime() >= idle.toMillis()
                    && !consumer.getName().equals(cluster.nodeId())) {
                stream.removeConsumer(StreamLayout.WEBHOOK_GROUP, consumer.getName());
                removed++;
            }
        }
        return removed;
    }

    /** Acknowledges and deletes entries that were sent or given up. */
    CompletionStage<Long> done(Collection<StreamMessageId> ids) {
        List<Object> arguments = new ArrayList<>(ids.size() + 1);
        arguments.add(StreamLayout.WEBHOOK_GROUP);
        ids.forEach(id -> arguments.add(id.toString()));
        return redis.getScript(StringCodec.INSTANCE).evalAsync(RScript.Mode.READ_WRITE, ACK_AND_DELETE,
                RScript.ReturnType.LONG, List.of(stream.getName()), arguments.toArray());
    }
}
