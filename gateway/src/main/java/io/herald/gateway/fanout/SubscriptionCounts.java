package io.herald.gateway.fanout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.gateway.GatewayMetrics;
import io.herald.gateway.apps.App;
import io.herald.gateway.apps.AppRegistry;
import io.herald.gateway.protocol.ChannelNames;
import io.herald.streams.ClusterSettings;

/**
 * This gateway's share of each channel's subscription count, in Redis, for the REST API's
 * {@code subscription_count}: one field per gateway, so increments from different gateways never
 * meet, and a dead gateway's field is dropped by the router that cleans up after it. Increments
 * commute, so they need no ordering; a count that reaches zero is removed. For apps that count
 * subscriptions, each change is then announced ({@link SubscriptionCountChanges}).
 *
 * <p>A channel has at most one script in flight: the changes that arrive meanwhile are summed and
 * sent as one when it is answered. Thousands of connections joining a channel at once (a drained
 * gateway's clients coming back) cost a handful of scripts rather than one round trip each,
 * without a timer.
 */
@ApplicationScoped
public class SubscriptionCounts {

    private static final Logger LOG = Logger.getLogger(SubscriptionCounts.class);
    private static final String ADD = """
            local count = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
            if count <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
            return count
            """;
    /** The same, answering the channel's count over all gateways. */
    private static final String ADD_AND_TOTAL = """
            local count = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
            if count <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
            local total = 0
            for _, value in ipairs(redis.call('HVALS', KEYS[1])) do total = total + tonumber(value) end
            return total
            """;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    GatewayMetrics metrics;

    @Inject
    AppRegistry apps;

    @Inject
    SubscriptionCountChanges changes;

    private static final String SET = """
            if tonumber(ARGV[2]) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
            return 1
            """;

    /**
     * Per channel with a change in flight, the sum of the changes that arrived since it left; a
     * channel without one has no entry.
     */
    private final Map<ChannelKey, Integer> arrivedMeanwhile = new ConcurrentHashMap<>();

    /**
     * Writes this gateway's count for the channel outright, for when Redis lost the increments.
     * The count includes the changes still waiting to be sent, so they are dropped.
     */
    void set(ChannelKey channel, int count) {
        arrivedMeanwhile.computeIfPresent(channel, (key, sum) -> 0);
        run(SET, channel, count);
    }

    /**
     * Adds the change to this gateway's count, at once or with the next change of the channel;
     * for apps that count subscriptions, also has the subscribers told once it is in Redis.
     */
    void add(ChannelKey channel, int delta) {
        boolean[] inFlight = { true };
        arrivedMeanwhile.compute(channel, (key, sum) -> {
            if (sum == null) {
                inFlight[0] = false;
                return 0;
            }
            return sum + delta;
        });
        if (!inFlight[0]) {
            send(channel, delta);
        }
    }

    private void send(ChannelKey channel, int delta) {
        boolean announced = announced(channel);
        run(announced ? ADD_AND_TOTAL : ADD, channel, delta).whenComplete((total, failure) -> {
            if (failure == null && announced) {
                changes.changed(channel, total);
            }
            int[] next = { 0 };
            arrivedMeanwhile.computeIfPresent(channel, (key, sum) -> {
                next[0] = sum;
                return sum == 0 ? null : 0;
            });
            if (next[0] != 0) {
                send(channel, next[0]);
            }
        });
    }

    private boolean announced(ChannelKey channel) {
        return !ChannelNames.isPresence(channel.channel())
                && apps.byId(channel.app()).map(App::subscriptionCount).orElse(false);
    }

    private CompletionStage<Long> run(String script, ChannelKey channel, int value) {
        if (redis.isShuttingDown() || redis.isShutdown()) {
            return new CompletableFuture<>();
        }
        return redis.getScript(StringCodec.INSTANCE).<Long>evalAsync(RScript.Mode.READ_WRITE, script, RScript.ReturnType.LONG,
                List.of(cluster.layout().subscriptions(channel.app(), channel.channel())), cluster.nodeId(),
                Integer.toString(value))
                .whenComplete((count, failure) -> {
                    if (failure != null) {
                        metrics.redisError("subscription_count");
                        LOG.warnf("Could not count a subscription change of %s: %s", channel, failure.getMessage());
                    }
                });
    }
}
