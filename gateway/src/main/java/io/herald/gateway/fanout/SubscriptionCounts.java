package io.herald.gateway.fanout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

    /** Writes this gateway's count for the channel outright, for when Redis lost the increments. */
    void set(ChannelKey channel, int count) {
        run(SET, channel, count);
    }

    /**
     * Adds the change to this gateway's count; for apps that count subscriptions, also has the
     * subscribers told once it is in Redis.
     */
    void add(ChannelKey channel, int delta) {
        if (announced(channel)) {
            run(ADD_AND_TOTAL, channel, delta).thenAccept(total -> changes.changed(channel, total));
        } else {
            run(ADD, channel, delta);
        }
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
