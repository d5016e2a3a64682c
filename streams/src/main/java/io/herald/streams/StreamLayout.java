package io.herald.streams;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names of every Redis key a Herald cluster uses, and the only place they are made. All keys of
 * one cluster share the prefix {@code herald:{cluster}:}, or {@code herald:{namespace}/{cluster}:}
 * for a PushCluster, so several clusters can share a Redis without seeing each other.
 *
 * <p><b>Slot groups</b> (layout {@value #VERSION}). Shard n belongs to slot group
 * {@code n mod G} ({@link #slotGroups()}, fixed when the cluster is created: 1 on one Redis), and
 * every key a shard's fenced script touches carries its group's Redis Cluster hash tag right after
 * the prefix: {@code herald:{c}:{<tag>}:...}. So one script, one pipelined read or one multi-key
 * command of one group stays in one hash slot, which Redis Cluster requires. Each group's tag is
 * chosen so its slot lies in the group's share of the slot space ({@link #tagOf}): G groups spread
 * evenly over primaries that own contiguous slot ranges, as {@code redis-cli --cluster create}
 * assigns them. What a router writes for a gateway goes to the gateway's inbox of the shard's group
 * ({@link #inbox(String, int)}), and each gateway reads its G inboxes.
 *
 * <ul>
 *   <li>{@code herald:{c}:meta} hash, untagged: cluster-wide settings fixed at creation
 *       ({@code shards}, {@code slot-groups}, {@code layout}, {@code dataset}).</li>
 *   <li>{@code herald:{c}:node-seq} counter, untagged: hands out the node numbers embedded in socket ids.</li>
 *   <li>{@code herald:{c}:{alive}:router-alive:{router}} string, expiring within seconds: a router's
 *       liveness record; one tag for all, so a router reads its peers' in one {@code MGET}.</li>
 *   <li>{@code herald:{c}:gateway-connections:{gateway}}, {@code watchers:{app}:{user}},
 *       {@code devices:{app}:{user}}: untagged, each read and written alone.</li>
 *   <li>The web console's keys, untagged, each used alone: {@code console-watches} sorted set (the
 *       apps a console watches, scored by when the watch lapses, ms; expiring), {@code console:{app}}
 *       stream (what the gateways saw of the app while watched, capped) and
 *       {@code console-connections:{app}:{gateway}} string (the gateway's connections of the app,
 *       refreshed while watched, expiring).</li>
 *   <li>Per shard n, tagged with its group: {@code shard:{n}} (stream of publications and interest
 *       changes, read by routers through {@link #ROUTER_GROUP}), {@code shard-owner:{n}} (owner and
 *       epoch, which fence the shard's writes), {@code gateway-interest:{gateway}:{n}} and
 *       {@code gateway-presence:{gateway}:{n}} (what a gateway holds in the shard, for cleanup),
 *       {@code archive:{n}} (read through {@link #ARCHIVE_GROUP}).</li>
 *   <li>Per channel, tagged with its shard's group: {@code interest}, {@code presence},
 *       {@code cache}, {@code subscriptions}, {@code position}, {@code history},
 *       {@code persistent}, each {@code :{app}:{channel}}.</li>
 *   <li>Per group: {@code inbox:{gateway}} (deliveries for one gateway), {@code webhooks}
 *       (facts read through {@link #WEBHOOK_GROUP}), {@code user-subscriptions:{app}:{user}} (the
 *       user's persistent subscriptions among the group's channels).</li>
 * </ul>
 */
public final class StreamLayout {

    /** The key layout this code writes, recorded in the meta hash at creation as {@code layout}. */
    public static final int VERSION = 2;

    /** Consumer group through which routers read shard streams. */
    public static final String ROUTER_GROUP = "routers";

    /** Consumer group through which archivers read the archive streams. */
    public static final String ARCHIVE_GROUP = "archivers";

    /** Consumer group through which gateways read the webhook streams: each fact reaches one gateway. */
    public static final String WEBHOOK_GROUP = "webhooks";

    /** What Kubernetes allows as a namespace name. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private final String prefix;
    private final int shards;
    private final String[] tagged;

    /** A cluster outside Kubernetes (local mode) on one slot group: keys under {@code herald:{cluster}:}. */
    public StreamLayout(String clusterName) {
        this(clusterName, Optional.empty());
    }

    /** One slot group: what a cluster on one Redis uses. */
    public StreamLayout(String clusterName, Optional<String> namespace) {
        this(clusterName, namespace, 1, 1);
    }

    /**
     * With a namespace, keys go under {@code herald:{namespace}/{cluster}:}: PushClusters of one
     * name in two namespaces get two prefixes. Neither part may hold ':' or '/', so no two
     * (namespace, cluster) pairs, with or without a namespace, make the same prefix; '{' and '}'
     * stay out because Redis Cluster reads them as hash tags.
     */
    public StreamLayout(String clusterName, Optional<String> namespace, int shards, int slotGroups) {
        this.prefix = prefix(clusterName, namespace);
        if (slotGroups < 1 || slotGroups > shards) {
            throw new IllegalArgumentException("slot groups must be between 1 and the shard count (" + shards + ") but were "
                    + slotGroups);
        }
        this.shards = shards;
        this.tagged = new String[slotGroups];
        for (int group = 0; group < slotGroups; group++) {
            tagged[group] = prefix + "{" + tagOf(group, slotGroups) + "}:";
        }
    }

    /** The cluster's meta hash, which tells how many shards and slot groups the rest of the layout has. */
    public static String meta(String clusterName, Optional<String> namespace) {
        return prefix(clusterName, namespace) + "meta";
    }

    private static String prefix(String clusterName, Optional<String> namespace) {
        if (clusterName == null || clusterName.isBlank() || clusterName.contains(":") || clusterName.contains("/")
                || clusterName.contains("{") || clusterName.contains("}")) {
            throw new IllegalArgumentException("cluster name must be non-empty and without ':', '/', '{' or '}' but was '"
                    + clusterName + "'");
        }
        namespace.filter(name -> !DNS_LABEL.matcher(name).matches()).ifPresent(name -> {
            throw new IllegalArgumentException("namespace must be a DNS label (a-z, 0-9, '-') but was '" + name + "'");
        });
        return "herald:" + namespace.map(name -> name + "/").orElse("") + clusterName + ":";
    }

    /**
     * The hash tag of a slot group: the first of {@code <group>-0}, {@code <group>-1}, ... whose
     * slot lies in the group's share of the slot space. A pure function of (group, groups), so every
     * process and version computes the same tags.
     */
    static String tagOf(int group, int groups) {
        int from = (int) ((long) group * RedisSlots.SLOTS / groups);
        int to = (int) ((long) (group + 1) * RedisSlots.SLOTS / groups);
        for (int i = 0;; i++) {
            String tag = group + "-" + i;
            int slot = RedisSlots.slotOf(tag);
            if (slot >= from && slot < to) {
                return tag;
            }
        }
    }

    public int slotGroups() {
        return tagged.length;
    }

    /** The slot group of shard n: every key of the shard and its channels hashes to this group's slot. */
    public int groupOf(int shard) {
        return shard % tagged.length;
    }

    /** The slot group of a channel's keys: its shard's. */
    public int groupOf(String app, String channel) {
        return groupOf(ShardHash.shardOf(app, channel, shards));
    }

    private String ofShard(int shard) {
        return tagged[groupOf(shard)];
    }

    private String ofChannel(String app, String channel) {
        return tagged[groupOf(app, channel)];
    }

    public String meta() {
        return prefix + "meta";
    }

    public String shardStream(int shard) {
        return ofShard(shard) + "shard:" + shard;
    }

    /** Stream: what routers address to one gateway from the shards of one slot group. */
    public String inbox(String gatewayId, int group) {
        return tagged[group] + "inbox:" + gatewayId;
    }

    /** The inbox of the gateway that shard n's router writes to: its group's. */
    public String inboxOfShard(String gatewayId, int shard) {
        return inbox(gatewayId, groupOf(shard));
    }

    public String interest(String app, String channel) {
        return ofChannel(app, channel) + "interest:" + app + ":" + channel;
    }

    /** String: the last event of a cache channel ({@code {"event":..,"data":..}}), expiring. */
    public String cache(String app, String channel) {
        return ofChannel(app, channel) + "cache:" + app + ":" + channel;
    }

    /** Set: the users (of an app) whose watchlist names the user, for watchlist events. */
    public String watchers(String app, String userId) {
        return prefix + "watchers:" + app + ":" + userId;
    }

    /** Hash: gateway id to its number of connections subscribed to the channel. */
    public String subscriptions(String app, String channel) {
        return ofChannel(app, channel) + "subscriptions:" + app + ":" + channel;
    }

    /**
     * The SCAN pattern that matches the interest keys of an app's channels whose names start with
     * the prefix, in every slot group. Glob characters in the app and prefix are escaped, so they
     * match only themselves; the tag is matched by {@code *}, which cannot reach past it since
     * no key has a second '}'.
     */
    public String interestPattern(String app, String channelPrefix) {
        return globEscaped(prefix) + "{*}:" + globEscaped("interest:" + app + ":" + channelPrefix) + "*";
    }

    private static String globEscaped(String literal) {
        return literal.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    /** The app and channel an interest key names: app ids have no ':'. */
    public String[] appAndChannelOfInterestKey(String interestKey) {
        String rest = interestKey.substring(interestKey.indexOf("}:interest:") + "}:interest:".length());
        int colon = rest.indexOf(':');
        return new String[] {rest.substring(0, colon), rest.substring(colon + 1)};
    }

    /** The channel an interest key of the app names. */
    public String channelOfInterestKey(String app, String interestKey) {
        return appAndChannelOfInterestKey(interestKey)[1];
    }

    /** Hash: socket id to the member it is ({@code {"user_id":..,"user_info":..,"gateway":..}}). */
    public String presence(String app, String channel) {
        return ofChannel(app, channel) + "presence:" + app + ":" + channel;
    }

    /** Set: the presence keys of shard n that hold connections of the gateway, for cleanup. */
    public String gatewayPresence(String gatewayId, int shard) {
        return ofShard(shard) + "gateway-presence:" + gatewayId + ":" + shard;
    }

    public String gatewayInterest(String gatewayId, int shard) {
        return ofShard(shard) + "gateway-interest:" + gatewayId + ":" + shard;
    }

    public String shardOwner(int shard) {
        return ofShard(shard) + "shard-owner:" + shard;
    }

    /** Hash: per app, the connections a gateway holds, for cluster-wide app connection quotas. */
    public String gatewayConnections(String gatewayId) {
        return prefix + "gateway-connections:" + gatewayId;
    }

    public String nodeSequence() {
        return prefix + "node-seq";
    }

    /** String, expiring: present while the router's process is running; all under one tag. */
    public String routerAlive(String routerId) {
        return prefix + "{alive}:router-alive:" + routerId;
    }

    /** Hash: a channel's position record, {@code epoch} and last {@code offset}. */
    public String position(String app, String channel) {
        return ofChannel(app, channel) + "position:" + app + ":" + channel;
    }

    /** Stream: a channel's hot history, one entry per event, id {@code <offset>-0}. */
    public String history(String app, String channel) {
        return ofChannel(app, channel) + "history:" + app + ":" + channel;
    }

    /** Hash: device id to {@code {"epoch","offset","seen"}}, what the user's device acknowledged. */
    public String devices(String app, String userId) {
        return prefix + "devices:" + app + ":" + userId;
    }

    /** Hash: user id to the retention of their copies, the channel's persistent subscribers. */
    public String persistentSubscribers(String app, String channel) {
        return ofChannel(app, channel) + "persistent:" + app + ":" + channel;
    }

    /** Set: the channels of one slot group a user is persistently subscribed to. */
    public String userSubscriptions(String app, String userId, int group) {
        return tagged[group] + "user-subscriptions:" + app + ":" + userId;
    }

    /** Stream: the webhook facts of one slot group, waiting for a gateway to send them. */
    public String webhooks(int group) {
        return tagged[group] + "webhooks";
    }

    /** Stream: shard n's publications on their way to the MongoDB archive. */
    public String archive(int shard) {
        return ofShard(shard) + "archive:" + shard;
    }

    /** Sorted set: app ids a web console watches, scored by when the watch lapses (epoch ms). */
    public String consoleWatches() {
        return prefix + "console-watches";
    }

    /** Stream: what the gateways saw of a watched app (publications, client events, connections), capped. */
    public String consoleLog(String app) {
        return prefix + "console:" + app;
    }

    /** String, expiring: one gateway's snapshot of its connections of a watched app (JSON). */
    public String consoleConnections(String app, String gatewayId) {
        return prefix + "console-connections:" + app + ":" + gatewayId;
    }
}
