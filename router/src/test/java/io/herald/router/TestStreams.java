package io.herald.router;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamRangeArgs;
import org.redisson.client.codec.StringCodec;

import io.herald.streams.ClusterSettings;
import io.herald.streams.Delivery;
import io.herald.streams.EnvelopeCodec;
import io.herald.streams.InboxEntry;
import io.herald.streams.InterestChange;
import io.herald.streams.Publication;
import io.herald.streams.ShardEntry;
import io.herald.streams.ShardStreams;
import io.herald.streams.StreamLayout;

/**
 * What the router tests do around a router running against the test Redis: append to shard
 * streams as a gateway does, and read a gateway's inbox as it would.
 */
@ApplicationScoped
public class TestStreams {

    @Inject
    ShardStreams shardStreams;

    @Inject
    ClusterSettings cluster;

    @Inject
    RedissonClient redis;

    /** Appends as one gateway call, so the entries keep their order and may land in one batch. */
    public void append(List<? extends ShardEntry> entries) {
        shardStreams.append(List.copyOf(entries)).toCompletableFuture().join();
    }

    public void append(ShardEntry... entries) {
        append(List.of(entries));
    }

    /**
     * Appends an entry and reads it as this router's consumer in one script: the entry is then
     * pending to the router, which never received it, as after a read Redis ran once the router
     * had given up on it (a blocking read Redisson re-sent after a reconnect).
     */
    public void appendTakenByAnOrphanedRead(Publication publication) {
        String stream = cluster.layout().shardStream(cluster.shardOf(publication.app(), publication.channel()));
        List<Object> arguments = new ArrayList<>(List.of(StreamLayout.ROUTER_GROUP, cluster.nodeId()));
        EnvelopeCodec.encode(publication).forEach((name, value) -> {
            arguments.add(name);
            arguments.add(value);
        });
        redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, """
                local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
                local read = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1, 'STREAMS', KEYS[1], '>')
                if read[1][2][1][1] ~= id then
                  return redis.error_reply('the orphaned read took ' .. read[1][2][1][1] .. ', not ' .. id)
                end
                return id
                """, RScript.ReturnType.VALUE, List.of(stream), arguments.toArray());
    }

    /** A new gateway that the router knows, once this returns, has subscribers on the channel. */
    public String interestedGateway(String channel) {
        String gateway = unique("gw");
        append(new InterestChange("1", channel, gateway, true));
        await().atMost(Duration.ofSeconds(15)).until(() -> redis.getSet(cluster.layout().interest("1", channel)).contains(gateway));
        return gateway;
    }

    /** Everything in the gateway's inbox, oldest first. */
    public List<InboxEntry> inbox(String gateway) {
        return redis.<String, String>getStream(cluster.layout().inbox(gateway, 0), StringCodec.INSTANCE)
                .range(StreamRangeArgs.startId(StreamMessageId.MIN).endId(StreamMessageId.MAX)).values().stream()
                .map(EnvelopeCodec::decodeInboxEntry).toList();
    }

    /** The deliveries in the gateway's inbox, oldest first. */
    public List<Delivery> deliveries(String gateway) {
        return inbox(gateway).stream().filter(Delivery.class::isInstance).map(Delivery.class::cast).toList();
    }

    /** The webhook facts about the channel in the cluster's webhook stream, oldest first, as {@code name} or {@code name user}. */
    public List<String> webhookFacts(String channel) {
        return redis.<String, String>getStream(cluster.layout().webhooks(0), StringCodec.INSTANCE)
                .range(StreamRangeArgs.startId(StreamMessageId.MIN).endId(StreamMessageId.MAX)).values().stream()
                .map(EnvelopeCodec::decodeWebhookFact).filter(fact -> fact.channel().equals(channel))
                .map(fact -> fact.name() + (fact.userId() == null ? "" : " " + fact.userId())).toList();
    }

    /** A name no other test uses: every test class shares one Redis. */
    public static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
