package io.herald.router.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.jboss.logging.Logger;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.router.presence.PresenceTable;
import io.herald.router.routing.WatcherNotices.UserPresence;
import io.herald.streams.PresenceLeave;
import io.herald.streams.ShardStreams;
import io.herald.streams.StreamLayout;
import io.herald.streams.UserChannels;
import io.herald.streams.WebhookFact;

/**
 * Cleans up after gateways that are gone (Lease expired or released, or replaced by a restarted
 * process), in the shards this router owns: removes them from the interest sets, drops their
 * inboxes, and makes their connections leave their presence channels. The leaves are appended to
 * the shard streams, so the member_removed they cause are ordered with everything else in their
 * channels. The channels where the gateway was the only one with subscribers are vacated: their
 * {@code channel_vacated} webhook facts go in the same fenced write as the interest cleanup.
 *
 * <p>A gateway and shard count as cleaned only once every write of the cleanup succeeded; a
 * cleanup that fails (Redis unreachable, a fenced shard) is retried on the next turn. Every step
 * is idempotent, so a retry after a partial success repeats nothing harmful.
 */
final class GatewayCleanup {

    private static final Logger LOG = Logger.getLogger(GatewayCleanup.class);

    private final RedissonClient redis;
    private final StreamLayout layout;
    private final InterestTable interest;
    private final PresenceTable presence;
    private final ShardStreams shardStreams;
    private final WatcherNotices watchers;
    private final WebhookFacts webhooks;
    /** Gone gateways, with the owned shards already cleaned of them. */
    private final Map<String, Set<Integer>> cleaned = new HashMap<>();

    GatewayCleanup(RedissonClient redis, StreamLayout layout, InterestTable interest, PresenceTable presence,
            ShardStreams shardStreams, WatcherNotices watchers, WebhookFacts webhooks) {
        this.webhooks = webhooks;
        this.redis = redis;
        this.layout = layout;
        this.interest = interest;
        this.presence = presence;
        this.shardStreams = shardStreams;
        this.watchers = watchers;
    }

    /**
     * Cleans the owned shards of the gone gateways that were not cleaned of them yet.
     *
     * @param apply applies fenced writes and returns the shards that were fenced (lost)
     */
    void run(Set<String> gone, Set<Integer> ownedShards, Function<FencedWrites, Set<Integer>> apply) {
        cleaned.keySet().retainAll(gone);
        FencedWrites writes = new FencedWrites(layout);
        List<PresenceLeave> leaves = new ArrayList<>();
        List<UserPresence> wentOffline = new ArrayList<>();
        Map<String, Set<Integer>> done = new HashMap<>();
        for (String gateway : gone) {
            if (!cleaned.containsKey(gateway)) {
                for (int group = 0; group < layout.slotGroups(); group++) {
                    redis.getStream(layout.inbox(gateway, group)).delete();
                }
                LOG.infof("Gateway %s is gone: removing it from the interest and presence of this router's shards", gateway);
            }
            Set<Integer> already = cleaned.getOrDefault(gateway, Set.of());
            for (int shard : ownedShards) {
                if (!already.contains(shard)) {
                    Set<String> interestKeys = redis.<String>getSet(layout.gatewayInterest(gateway, shard),
                            StringCodec.INSTANCE).readAll();
                    wentOffline.addAll(leftWith(gateway, shard, interestKeys, writes));
                    interest.forgetGateway(shard, gateway, interestKeys, writes);
                    leaves.addAll(presenceLeavesOf(gateway, shard));
                    done.computeIfAbsent(gateway, g -> new HashSet<>()).add(shard);
                }
            }
            cleaned.computeIfAbsent(gateway, g -> new HashSet<>());
        }
        Set<Integer> fenced = apply.apply(writes);
        if (!leaves.isEmpty()) {
            shardStreams.append(leaves).toCompletableFuture().join();
        }
        watchers.tell(wentOffline);
        done.forEach((gateway, shards) -> {
            shards.removeAll(fenced);
            cleaned.get(gateway).addAll(shards);
        });
    }

    /** Starts over, for when Redis lost its data or this router lost every shard. */
    void reset() {
        cleaned.clear();
    }

    /**
     * The channels of shard n whose only gateway was the dead one: their signed-in users go
     * offline with it (returned), the others are vacated (their facts added to the writes).
     */
    private List<UserPresence> leftWith(String gateway, int shard, Set<String> keys, FencedWrites writes) {
        List<UserPresence> offline = new ArrayList<>();
        interest.load(Map.of(shard, keys));
        for (String key : keys) {
            if (interest.gateways(shard, key).equals(Set.of(gateway))) {
                String[] appAndChannel = layout.appAndChannelOfInterestKey(key);
                if (UserChannels.isUserChannel(appAndChannel[1])) {
                    offline.add(new UserPresence(appAndChannel[0], UserChannels.userOf(appAndChannel[1]), false));
                } else {
                    webhooks.append(shard, WebhookFact.occupancy(appAndChannel[0], appAndChannel[1], false), writes);
                }
            }
        }
        return offline;
    }

    private List<PresenceLeave> presenceLeavesOf(String gateway, int shard) {
        List<PresenceLeave> leaves = new ArrayList<>();
        Set<String> channels = redis.<String>getSet(layout.gatewayPresence(gateway, shard), StringCodec.INSTANCE).readAll();
        for (String appAndChannel : channels) {
            int colon = appAndChannel.indexOf(':');
            String app = appAndChannel.substring(0, colon);
            String channel = appAndChannel.substring(colon + 1);
            presence.load(Map.of(shard, Set.of(layout.presence(app, channel))));
            for (String socket : presence.socketsOf(shard, app, channel, gateway)) {
                leaves.add(new PresenceLeave(app, channel, gateway, socket));
            }
        }
        return leaves;
    }
}
