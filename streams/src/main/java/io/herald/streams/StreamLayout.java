package io.herald.streams;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names of every Redis key a Herald cluster uses. All keys of one cluster share the prefix
 * {@code herald:{cluster}:}, or {@code herald:{namespace}/{cluster}:} for a PushCluster, so
 * several clusters can share a Redis without seeing each other.
 *
 * <ul>
 *   <li>{@code herald:{c}:meta} hash: cluster-wide settings fixed at creation ({@code shards}).</li>
 *   <li>{@code herald:{c}:shard:{n}} stream: publications and interest changes of the channels
 *       hashed to shard n, in the order gateways appended them. Read by routers through the
 *       consumer group {@link #ROUTER_GROUP}.</li>
 *   <li>{@code herald:{c}:inbox:{gateway}} stream: deliveries a router addressed to one gateway.</li>
 *   <li>{@code herald:{c}:interest:{app}:{channel}} set: ids of the gateways that have at least one
 *       subscriber on the channel. Written only by the router that owns the channel's shard.</li>
 *   <li>{@code herald:{c}:gateway-interest:{gateway}:{n}} set: the interest keys of shard n that name
 *       the gateway, so that the shard's router can clean up after a gateway that died.</li>
 *   <li>{@code herald:{c}:cache:{app}:{channel}} string: a cache channel's last event, written by its router.</li>
 *   <li>{@code herald:{c}:subscriptions:{app}:{channel}} hash: per gateway, how many of its
 *       connections are subscribed; each gateway counts its own.</li>
 *   <li>{@code herald:{c}:presence:{app}:{channel}} hash: the connections in a presence channel,
 *       written only by the channel's router; {@code gateway-presence:{gateway}:{n}} indexes them.</li>
 *   <li>{@code herald:{c}:shard-owner:{n}} hash: {@code owner} (router id, empty when released)
 *       and {@code epoch}, which fences every write a router makes for the shard.</li>
 *   <li>{@code herald:{c}:gateway-connections:{gateway}} hash: the gateway's connections per app, expiring.</li>
 *   <li>{@code herald:{c}:node-seq} counter: hands out the node numbers embedded in socket ids.</li>
 *   <li>{@code herald:{c}:router-alive:{router}} string, expiring within seconds: a router's
 *       liveness record, renewed while its process runs, so peers notice its death long before
 *       its Lease expires.</li>
 *   <li>{@code herald:{c}:position:{app}:{channel}} hash: the channel's {@code epoch} and last
 *       {@code offset}, written only by the channel's router; expires long after the last event.</li>
 *   <li>{@code herald:{c}:history:{app}:{channel}} stream: the channel's last events, entry id
 *       {@code <offset>-0}, capped in length and expiring, written only by the channel's router.</li>
 *   <li>{@code herald:{c}:devices:{app}:{user}} hash: per device of the user, the last position of
 *       the user's personal stream it acknowledged and when it was last seen (JSON), written by
 *       gateways through a script that only moves a device forward; expiring.</li>
 *   <li>{@code herald:{c}:persistent:{app}:{channel}} hash: the users subscribed to the channel on
 *       the server side, each with what their personal stream keeps of a copy; and
 *       {@code user-subscriptions:{app}:{user}} set, the channels of one user. Both written only by
 *       the channel's router.</li>
 *   <li>{@code herald:{c}:archive:{n}} stream: publications of shard n waiting to be written to
 *       the MongoDB archive, read through the consumer group {@link #ARCHIVE_GROUP}.</li>
 *   <li>{@code herald:{c}:webhooks} stream: facts for the apps' webhooks (channel occupied,
 *       member added, ...), appended by routers and gateways, read by gateways through the
 *       consumer group {@link #WEBHOOK_GROUP}.</li>
 *   <li>{@code herald:{c}:console-watches} sorted set: the apps a web console watches, scored by
 *       when the watch lapses (ms), expiring; {@code console:{app}} stream: what the gateways saw
 *       of the app while watched, capped; {@code console-connections:{app}:{gateway}} string,
 *       expiring: the gateway's connections of the app, refreshed while watched.</li>
 * </ul>
 */
public final class StreamLayout {

    /** Consumer group through which routers read shard streams. */
    public static final String ROUTER_GROUP = "routers";

    /** Consumer group through which archivers read the archive streams. */
    public static final String ARCHIVE_GROUP = "archivers";

    /** Consumer group through which gateways read the webhook stream: each fact reaches one gateway. */
    public static final String WEBHOOK_GROUP = "webhooks";

    /** What Kubernetes allows as a namespace name. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private final String prefix;

    /** A cluster outside Kubernetes (local mode): keys under {@code herald:{cluster}:}. */
    public StreamLayout(String clusterName) {
        this(clusterName, Optional.empty());
    }

    /**
     * With a namespace, keys go under {@code herald:{namespace}/{cluster}:}: PushClusters of one
     * name in two namespaces get two prefixes. Neither part may hold ':' or '/', so no two
     * (namespace, cluster) pairs, with or without a namespace, make the same prefix; '{' and '}'
     * stay out because Redis Cluster reads them as hash tags.
     */
    public StreamLayout(String clusterName, Optional<String> namespace) {
        if (clusterName == null || clusterName.isBlank() || clusterName.contains(":") || clusterName.contains("/")) {
            throw new IllegalArgumentException("cluster name must be non-empty and without ':' or '/' but was '" + clusterName + "'");
        }
        namespace.filter(name -> !DNS_LABEL.matcher(name).matches()).ifPresent(name -> {
            throw new IllegalArgumentException("namespace must be a DNS label (a-z, 0-9, '-') but was '" + name + "'");
        });
        this.prefix = "herald:" + namespace.map(name -> name + "/").orElse("") + clusterName + ":";
    }

    public String meta() {
        return prefix + "meta";
    }

    public String shardStream(int shard) {
        return prefix + "shard:" + shard;
    }

    public String inbox(String gatewayId) {
        return prefix + "inbox:" + gatewayId;
    }

    public String interest(String app, String channel) {
        return prefix + "interest:" + app + ":" + channel;
    }

    /** String: the last event of a cache channel ({@code {"event":..,"data":..}}), expiring. */
    public String cache(String app, String channel) {
        return prefix + "cache:" + app + ":" + channel;
    }

    /** Set: the users (of an app) whose watchlist names the user, for watchlist events. */
    public String watchers(String app, String userId) {
        return prefix + "watchers:" + app + ":" + userId;
    }

    /** Hash: gateway id to its number of connections subscribed to the channel. */
    public String subscriptions(String app, String channel) {
        return prefix + "subscriptions:" + app + ":" + channel;
    }

    /**
     * The SCAN pattern that matches the interest keys of an app's channels whose names start with
     * the prefix. Glob characters in the app and prefix are escaped, so they match only themselves.
     */
    public String interestPattern(String app, String channelPrefix) {
        return globEscaped(prefix + "interest:" + app + ":" + channelPrefix) + "*";
    }

    private static String globEscaped(String literal) {
        return literal.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    /** The app and channel an interest key names: app ids have no ':'. */
    public String[] appAndChannelOfInterestKey(String interestKey) {
        String rest = interestKey.substring((prefix + "interest:").length());
        int colon = rest.indexOf(':');
        return new String[] {rest.substring(0, colon), rest.substring(colon + 1)};
    }

    /** The channel an interest key of the app names. */
    public String channelOfInterestKey(String app, String interestKey) {
        return interestKey.substring((prefix + "interest:" + app + ":").length());
    }

    /** Hash: socket id to the member it is ({@code {"user_id":..,"user_info":..,"gateway":..}}). */
    public String presence(String app, String channel) {
        return prefix + "presence:" + app + ":" + channel;
    }

    /** Set: the presence keys of shard n that hold connections of the gateway, for cleanup. */
    public String gatewayPresence(String gatewayId, int shard) {
        return prefix + "gateway-presence:" + gatewayId + ":" + shard;
    }

    public String gatewayInterest(String gatewayId, int shard) {
        return prefix + "gateway-interest:" + gatewayId + ":" + shard;
    }

    public String shardOwner(int shard) {
        return prefix + "shard-owner:" + shard;
    }

    /** Hash: per app, the connections a gateway holds, for cluster-wide app connection quotas. */
    public String gatewayConnections(String gatewayId) {
        return prefix + "gateway-connections:" + gatewayId;
    }

    public String nodeSequence() {
        return prefix + "node-seq";
    }

    /** String, expiring: present while the router's process is running. */
    public String routerAlive(String routerId) {
        return prefix + "router-alive:" + routerId;
    }

    /** Hash: a channel's position record, {@code epoch} and last {@code offset}. */
    public String position(String app, String channel) {
        return prefix + "position:" + app + ":" + channel;
    }

    /** Stream: a channel's hot history, one entry per event, id {@code <offset>-0}. */
    public String history(String app, String channel) {
        return prefix + "history:" + app + ":" + channel;
    }

    /** Hash: device id to {@code {"epoch","offset","seen"}}, what the user's device acknowledged. */
    public String devices(String app, String userId) {
        return prefix + "devices:" + app + ":" + userId;
    }

    /** Hash: user id to the retention of their copies, the channel's persistent subscribers. */
    public String persistentSubscribers(String app, String channel) {
        return prefix + "persistent:" + app + ":" + channel;
    }

    /** Set: the channels a user is persistently subscribed to. */
    public String userSubscriptions(String app, String userId) {
        return prefix + "user-subscriptions:" + app + ":" + userId;
    }

    /** Stream: the cluster's webhook facts, waiting for a gateway to send them. */
    public String webhooks() {
        return prefix + "webhooks";
    }

    /** Stream: shard n's publications on their way to the MongoDB archive. */
    public String archive(int shard) {
        return prefix + "archive:" + shard;
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
