package io.herald.gateway.rest;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RBucketAsync;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.client.codec.StringCodec;

import io.herald.gateway.protocol.ChannelNames;
import io.herald.streams.CacheChannels;
import io.herald.streams.ClusterSettings;
import io.herald.streams.UserChannels;
import io.vertx.core.json.JsonObject;

/**
 * Cluster-wide facts about channels, for the REST API: which are occupied (some gateway has a
 * subscriber: the channel's interest set exists), how many connections are subscribed (the sum of
 * the gateways' counts), and, for presence channels, which distinct users are in them. These
 * calls block on Redis; callers run them off the event loop. The web console reads them too.
 */
@ApplicationScoped
public class ChannelInfo {

    static final String USER_COUNT = "user_count";
    static final String SUBSCRIPTION_COUNT = "subscription_count";
    static final String CACHE = "cache";

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    /**
     * Occupied channels of the app whose names start with the prefix, sorted; never Herald's own
     * user channels, which say who is online. The prefix is matched literally: its glob
     * characters are escaped for SCAN.
     */
    public Set<String> occupied(String app, String prefix) {
        Set<String> channels = new TreeSet<>();
        for (String key : redis.getKeys().getKeys(KeysScanOptions.defaults()
                .pattern(cluster.layout().interestPattern(app, prefix)).chunkSize(1000))) {
            String channel = cluster.layout().channelOfInterestKey(app, key);
            if (!UserChannels.isUserChannel(channel)) {
                channels.add(channel);
            }
        }
        return channels;
    }

    boolean isOccupied(String app, String channel) {
        return redis.getSet(cluster.layout().interest(app, channel), StringCodec.INSTANCE).isExists();
    }

    public long subscriptionCount(String app, String channel) {
        return sum(redis.<String, String>getMap(cluster.layout().subscriptions(app, channel), StringCodec.INSTANCE)
                .readAllValues());
    }

    /** A channel's subscription count and, on presence channels, its distinct users (else empty). */
    public record Tally(long subscriptions, Set<String> users) {
    }

    /**
     * The subscription counts and presence users of many channels in one round trip, for views
     * that list channels every second (the web console) rather than one query per channel.
     */
    public Map<String, Tally> tally(String app, Collection<String> channels) {
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        Map<String, RFuture<Collection<String>>> counts = new LinkedHashMap<>();
        Map<String, RFuture<Collection<String>>> members = new HashMap<>();
        for (String channel : channels) {
            counts.put(channel, batch.<String, String>getMap(cluster.layout().subscriptions(app, channel), StringCodec.INSTANCE)
                    .readAllValuesAsync());
            if (ChannelNames.isPresence(channel)) {
                members.put(channel, batch.<String, String>getMap(cluster.layout().presence(app, channel), StringCodec.INSTANCE)
                        .readAllValuesAsync());
            }
        }
        if (counts.isEmpty()) {
            return Map.of();
        }
        batch.execute();
        Map<String, Tally> tallies = new LinkedHashMap<>();
        counts.forEach((channel, count) -> {
            RFuture<Collection<String>> memberRead = members.get(channel);
            tallies.put(channel, new Tally(sum(count.toCompletableFuture().join()),
                    memberRead == null ? Set.of() : usersOf(memberRead.toCompletableFuture().join())));
        });
        return tallies;
    }

    private static long sum(Collection<String> counts) {
        return counts.stream().mapToLong(Long::parseLong).sum();
    }

    /** Distinct user ids of presence members, in the order they appear. */
    private static Set<String> usersOf(Collection<String> members) {
        Set<String> users = new LinkedHashSet<>();
        members.forEach(member -> users.add(new JsonObject(member).getString("user_id")));
        return users;
    }

    /**
     * A cache channel's last event as Pusher answers {@code info=cache}: {@code {"data": ..,
     * "ttl": seconds left}}, or null when nothing is cached (never published, or expired).
     */
    JsonObject cache(String app, String channel) {
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        RBucketAsync<String> read = batch.getBucket(cluster.layout().cache(app, channel), StringCodec.INSTANCE);
        RFuture<String> value = read.getAsync();
        RFuture<Long> ttl = read.remainTimeToLiveAsync();
        batch.execute();
        String event = value.toCompletableFuture().join();
        if (event == null) {
            return null;
        }
        // A key without expiry answers -1; report it as the whole second it still has at least.
        long seconds = Math.max(1, (ttl.toCompletableFuture().join() + 999) / 1000);
        return new JsonObject().put("data", new JsonObject(event).getString("data")).put("ttl", seconds);
    }

    /** The distinct users in a presence channel, in the order they appear. */
    public Set<String> users(String app, String channel) {
        return usersOf(redis.<String, String>getMap(cluster.layout().presence(app, channel), StringCodec.INSTANCE).readAllValues());
    }

    /**
     * The requested attributes of one channel.
     *
     * @throws IllegalArgumentException naming an attribute that does not apply to the channel
     */
    JsonObject attributes(String app, String channel, Set<String> requested) {
        checkApplicable(requested, channel);
        JsonObject attributes = new JsonObject();
        if (requested.contains(USER_COUNT)) {
            attributes.put(USER_COUNT, users(app, channel).size());
        }
        if (requested.contains(SUBSCRIPTION_COUNT)) {
            attributes.put(SUBSCRIPTION_COUNT, subscriptionCount(app, channel));
        }
        return attributes;
    }

    /**
     * Splits {@code cache} off the attributes asked of one channel ({@code GET /channels/{name}}
     * only: lists and publications do not answer it).
     *
     * @return whether the cache was asked for
     * @throws IllegalArgumentException when it was, of a channel that is not a cache channel
     */
    static boolean takeCache(Set<String> requested, String channel) {
        if (!requested.remove(CACHE)) {
            return false;
        }
        if (!CacheChannels.isCache(channel)) {
            throw new IllegalArgumentException("cache is only available for cache channels, not " + channel);
        }
        return true;
    }

    /** @throws IllegalArgumentException naming an attribute that is unknown */
    static void checkKnown(Set<String> requested) {
        for (String attribute : requested) {
            if (!attribute.equals(USER_COUNT) && !attribute.equals(SUBSCRIPTION_COUNT)) {
                throw new IllegalArgumentException("Unknown info attribute '" + attribute
                        + "'; ask for user_count or subscription_count");
            }
        }
    }

    /** @throws IllegalArgumentException naming an attribute that is unknown or does not apply to the channel */
    static void checkApplicable(Set<String> requested, String channel) {
        checkKnown(requested);
        if (requested.contains(USER_COUNT) && !ChannelNames.isPresence(channel)) {
            throw new IllegalArgumentException("user_count is only available for presence channels, not " + channel);
        }
    }

    /** The requested attributes that apply to the channel: {@code user_count} only to presence channels. */
    static Set<String> applicableTo(Set<String> requested, String channel) {
        Set<String> applicable = new LinkedHashSet<>(requested);
        if (!ChannelNames.isPresence(channel)) {
            applicable.remove(USER_COUNT);
        }
        return applicable;
    }

    /** Parses {@code info=a,b} into attribute names; empty for none. */
    static Set<String> requested(String info) {
        Set<String> requested = new LinkedHashSet<>();
        if (info != null) {
            for (String attribute : info.split(",")) {
                if (!attribute.isBlank()) {
                    requested.add(attribute.trim());
                }
            }
        }
        return requested;
    }
}
