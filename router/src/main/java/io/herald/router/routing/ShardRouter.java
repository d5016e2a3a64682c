package io.herald.router.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamMultiReadGroupArgs;
import org.redisson.client.codec.StringCodec;

import io.herald.streams.ClusterSettings;
import io.herald.streams.Delivery;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.InterestChange;
import io.herald.streams.MalformedEnvelopeException;
import io.herald.streams.Publication;
import io.herald.streams.ShardEntry;
import io.herald.streams.StreamLayout;
import io.herald.streams.StreamOffset;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * The routing loop: reads the shard streams through the routers' consumer group, keeps the
 * interest table up to date from interest changes, and appends every publication to the inbox
 * of each gateway with subscribers on its channel, and of no other gateway. Entries are
 * acknowledged only after their deliveries are in Redis, so a crash replays them (at least
 * once); gateways drop the replays by offset.
 *
 * <p>One batch is in flight at a time, which keeps each shard's entries in stream order.
 */
@ApplicationScoped
public class ShardRouter {

    private static final Logger LOG = Logger.getLogger(ShardRouter.class);

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "herald.router.batch-size", defaultValue = "512")
    int batchSize;

    @ConfigProperty(name = "herald.streams.inbox-max-length", defaultValue = "100000")
    int inboxMaxLength;

    private StreamLayout layout;
    private InterestTable interest;
    private List<String> shardStreams;
    private volatile boolean running;
    private volatile boolean healthy;
    /** True until this consumer's own unacknowledged entries from an earlier run are replayed. */
    private boolean replayingPending = true;

    void start(@Observes StartupEvent event) {
        layout = cluster.layout();
        interest = new InterestTable(redis, layout);
        shardStreams = new ArrayList<>();
        for (int shard = 0; shard < cluster.shardCount(); shard++) {
            String stream = layout.shardStream(shard);
            shardStreams.add(stream);
            createGroup(stream);
        }
        running = true;
        LOG.infof("Router %s routes %d shards of cluster %s", cluster.nodeId(), shardStreams.size(), cluster.clusterName());
        readNext();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
    }

    public boolean isHealthy() {
        return running && healthy;
    }

    private void createGroup(String stream) {
        try {
            redis.getStream(stream, StringCodec.INSTANCE)
                    .createGroup(StreamCreateGroupArgs.name(StreamLayout.ROUTER_GROUP).id(new StreamMessageId(0, 0)).makeStream());
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    private void readNext() {
        if (!running) {
            return;
        }
        // Pending entries are read from id 0 (this consumer's history), new ones with '>'.
        StreamMessageId from = replayingPending ? new StreamMessageId(0, 0) : StreamMessageId.NEVER_DELIVERED;
        Map<String, StreamMessageId> others = new LinkedHashMap<>();
        for (String stream : shardStreams.subList(1, shardStreams.size())) {
            others.put(stream, from);
        }
        StreamMultiReadGroupArgs args = StreamMultiReadGroupArgs.greaterThan(from, others).count(batchSize);
        if (!replayingPending) {
            args = args.timeout(Duration.ofSeconds(2));
        }
        RStream<String, String> first = redis.getStream(shardStreams.get(0), StringCodec.INSTANCE);
        first.readGroupAsync(StreamLayout.ROUTER_GROUP, cluster.nodeId(), args)
                .thenCompose(this::route)
                .whenComplete((routed, failure) -> {
                    if (failure != null) {
                        healthy = false;
                        if (running) {
                            LOG.warnf("Routing failed, retrying in 1 s: %s", failure.getMessage());
                            vertx.setTimer(1000, id -> readNext());
                        }
                        return;
                    }
                    healthy = true;
                    if (replayingPending && routed == 0) {
                        replayingPending = false;
                    }
                    readNext();
                });
    }

    /** Routes one batch read from the shard streams; completes with the number of entries handled. */
    private CompletionStage<Integer> route(Map<String, Map<StreamMessageId, Map<String, String>>> batch) {
        if (batch == null || batch.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        List<ReadEntry> entries = decode(batch);
        Set<String> channels = new HashSet<>();
        for (ReadEntry entry : entries) {
            if (entry.decoded != null) {
                channels.add(layout.interest(entry.decoded.app(), entry.decoded.channel()));
            }
        }
        return interest.load(channels)
                .thenCompose(loaded -> writeDeliveries(entries))
                .thenCompose(written -> acknowledge(entries))
                .thenApply(acked -> entries.size());
    }

    private CompletionStage<Void> writeDeliveries(List<ReadEntry> entries) {
        RBatch writes = redis.createBatch(BatchOptions.defaults());
        for (ReadEntry entry : entries) {
            if (entry.decoded instanceof InterestChange change) {
                interest.apply(change, writes);
            } else if (entry.decoded instanceof Publication publication) {
                Map<String, String> delivery = EnvelopeCodec.encode(new Delivery(publication, entry.offset()));
                for (String gateway : interest.gateways(layout.interest(publication.app(), publication.channel()))) {
                    writes.<String, String>getStream(layout.inbox(gateway), StringCodec.INSTANCE)
                            .addAsync(StreamAddArgs.entries(delivery).trimNonStrict().maxLen(inboxMaxLength).noLimit());
                }
            }
        }
        return writes.executeAsync().thenApply(results -> null);
    }

    private CompletionStage<Void> acknowledge(List<ReadEntry> entries) {
        RBatch acks = redis.createBatch(BatchOptions.defaults());
        Map<String, List<StreamMessageId>> idsByStream = new LinkedHashMap<>();
        for (ReadEntry entry : entries) {
            idsByStream.computeIfAbsent(entry.stream, s -> new ArrayList<>()).add(entry.id);
        }
        idsByStream.forEach((stream, ids) -> acks.<String, String>getStream(stream, StringCodec.INSTANCE)
                .ackAsync(StreamLayout.ROUTER_GROUP, ids.toArray(StreamMessageId[]::new)));
        return acks.executeAsync().thenApply(results -> null);
    }

    private static List<ReadEntry> decode(Map<String, Map<StreamMessageId, Map<String, String>>> batch) {
        List<ReadEntry> entries = new ArrayList<>();
        batch.forEach((stream, streamEntries) -> streamEntries.forEach((id, fields) -> {
            ShardEntry decoded = null;
            try {
                // A replayed pending entry that was trimmed meanwhile comes back without fields.
                if (fields != null && !fields.isEmpty()) {
                    decoded = EnvelopeCodec.decodeShardEntry(fields);
                }
            } catch (MalformedEnvelopeException e) {
                LOG.errorf("Skipping malformed entry %s of %s: %s", id, stream, e.getMessage());
            }
            entries.add(new ReadEntry(stream, id, decoded));
        }));
        return entries;
    }

    /** An entry as read: malformed ones have no decoded form and are only acknowledged. */
    private record ReadEntry(String stream, StreamMessageId id, ShardEntry decoded) {
        StreamOffset offset() {
            return new StreamOffset(id.getId0(), id.getId1());
        }
    }
}
