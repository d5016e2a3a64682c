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

import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.AutoClaimResult;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamConsumer;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;

import io.herald.gateway.GatewayConfig;
import io.herald.streams.ClusterSettings;
import io.herald.streams.ConsumerGroups;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.StreamLayout;
import io.herald.streams.WebhookFact;

/**
 * The gateway's side of the cluster's webhook streams, one per slot group (a router appends a fact
 * in its shard's fenced script, so to its group's stream): it appends the facts only a gateway sees
 * (client events, to the channel's group), and reads the streams through the consumer group
 * {@link StreamLayout#WEBHOOK_GROUP}, so each fact goes to one gateway, one group per read since
 * Redis Cluster refuses a read across slots. An entry leaves its stream once sent or given up, so
 * the streams' length is the cluster's unsent backlog; entries a gateway read and never finished
 * (it died) are taken over by another once they have been idle for long.
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

    @Inject
    GatewayConfig config;

    private final List<RStream<String, String>> streams = new ArrayList<>();
    private final List<StreamMessageId> claimCursors = new ArrayList<>();
    /** The group the next {@link #readNew} reads; only the sender's thread reads. */
    private int nextGroup;

    /** Entries read from one slot group's stream; they leave it through {@link #done}. */
    record Read(int group, Map<StreamMessageId, Map<String, String>> entries) {
    }

    @PostConstruct
    void init() {
        for (int group = 0; group < cluster.layout().slotGroups(); group++) {
            streams.add(redis.getStream(cluster.layout().webhooks(group), StringCodec.INSTANCE));
            claimCursors.add(new StreamMessageId(0, 0));
        }
    }

    public CompletionStage<StreamMessageId> append(WebhookFact fact) {
        return streams.get(cluster.layout().groupOf(fact.app(), fact.channel()))
                .addAsync(StreamAddArgs.entries(EnvelopeCodec.encode(fact)).trimNonStrict()
                        .maxLen(config.webhooks().maxLength()).noLimit());
    }

    /** Creates the groups unless they exist: at start, and again after Redis lost its data. */
    void ensureGroup() {
        streams.forEach(stream -> ConsumerGroups.createIfMissing(stream, StreamLayout.WEBHOOK_GROUP));
    }

    /**
     * Entries no gateway has read yet from the next slot group's stream, in turn, waiting up to
     * {@code block} for some in all: each group's read waits its share of it.
     */
    Read readNew(int count, Duration block) {
        int group = nextGroup;
        nextGroup = (group + 1) % streams.size();
        Map<StreamMessageId, Map<String, String>> read = streams.get(group).readGroup(StreamLayout.WEBHOOK_GROUP,
                cluster.nodeId(), StreamReadGroupArgs.neverDelivered().count(count).timeout(block.dividedBy(streams.size())));
        return new Read(group, read == null ? Map.of() : read);
    }

    /**
     * Removes, from each slot group's stream, the group's consumers that own no entry and did not
     * read for {@code idle}: gateways that are gone (each incarnation reads under a name of its
     * own), whose entries, if any, were taken over. Without this, every restart would leave a name
     * in the group for good. A live gateway reads every second, so it is never that idle; were it
     * removed, its next read would bring it back with nothing lost, since only consumers without
     * entries go.
     *
     * @return how many were removed
     */
    int forgetIdleConsumers(Duration idle) {
        int removed = 0;
        for (RStream<String, String> stream : streams) {
            for (StreamConsumer consumer : stream.listConsumers(StreamLayout.WEBHOOK_GROUP)) {
                if (consumer.getPending() == 0 && consumer.getIdleTime() >= idle.toMillis()
                        && !consumer.getName().equals(cluster.nodeId())) {
                    stream.removeConsumer(StreamLayout.WEBHOOK_GROUP, consumer.getName());
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * Takes over, from each slot group's stream, up to {@code count} entries that some gateway read
     * at least {@code idle} ago and never finished: longer than any send with its retries takes, so
     * their reader is gone.
     */
    List<Read> claimStale(Duration idle, int count) {
        List<Read> claimed = new ArrayList<>();
        for (int group = 0; group < streams.size(); group++) {
            AutoClaimResult<String, String> result = streams.get(group).autoClaim(StreamLayout.WEBHOOK_GROUP, cluster.nodeId(),
                    idle.toMillis(), TimeUnit.MILLISECONDS, claimCursors.get(group), count);
            claimCursors.set(group, result.getNextId());
            if (!result.getDeletedIds().isEmpty()) {
                done(group, result.getDeletedIds());
            }
            if (result.getMessages() != null && !result.getMessages().isEmpty()) {
                claimed.add(new Read(group, result.getMessages()));
            }
        }
        return claimed;
    }

    /** Acknowledges and deletes entries of a slot group's stream that were sent or given up. */
    CompletionStage<Long> done(int group, Collection<StreamMessageId> ids) {
        List<Object> arguments = new ArrayList<>(ids.size() + 1);
        arguments.add(StreamLayout.WEBHOOK_GROUP);
        ids.forEach(id -> arguments.add(id.toString()));
        return redis.getScript(StringCodec.INSTANCE).evalAsync(RScript.Mode.READ_WRITE, ACK_AND_DELETE,
                RScript.ReturnType.LONG, List.of(streams.get(group).getName()), arguments.toArray());
    }
}
