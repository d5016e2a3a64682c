package io.herald.router.ownership;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.jboss.logging.Logger;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.contract.Rendezvous;
import io.herald.streams.ConsumerGroups;
import io.herald.streams.StreamLayout;

/**
 * The shards this router owns, and the moves that keep that set equal to its rendezvous share of
 * the live routers. Shards it should no longer own are released (graceful handover, between two
 * batches); shards it should own are claimed once their previous owner released them or is gone.
 * A claimed shard starts in replay: the entries its previous owner read but never acknowledged
 * are taken over ({@code XAUTOCLAIM}) and routed before anything new. Used by one thread at a time
 * (the routing thread, or the Redis client's event loop while it waits); {@link #published} by any.
 */
public final class ShardOwnership {

    private static final Logger LOG = Logger.getLogger(ShardOwnership.class);

    private final RedissonClient redis;
    private final StreamLayout layout;
    private final ShardClaims claims;
    private final String me;
    private final int shardCount;
    private final Map<Integer, Long> epochs = new TreeMap<>();
    private final Set<Integer> replaying = new TreeSet<>();
    /** Shards lost to a peer whose entries pending to this router are still to be handed over. */
    private final Set<Integer> toHandOver = new TreeSet<>();
    /** A copy of {@link #epochs} for other threads (the archiver), replaced after every change. */
    private volatile Map<Integer, Long> published = Map.of();

    public ShardOwnership(RedissonClient redis, StreamLayout layout, String me, int shardCount) {
        this.redis = redis;
        this.layout = layout;
        this.claims = new ShardClaims(redis, layout);
        this.me = me;
        this.shardCount = shardCount;
    }

    /**
     * Brings ownership in line with the live routers.
     *
     * @param leaseHeld whether this router's own Lease is current; without it, it owns nothing
     * @param liveRouters the routers alive now, this one included
     * @param isAlive whether a named router is alive, to judge a previous owner
     * @return the shards gained by this call
     */
    public Set<Integer> reconcile(boolean leaseHeld, Set<String> liveRouters, Predicate<String> isAlive) {
        handOverPending();
        if (!leaseHeld) {
            if (!epochs.isEmpty()) {
                LOG.warnf("Router %s cannot renew its Lease: it stops acting on its %d shards", me, epochs.size());
                epochs.clear();
                replaying.clear();
                publish();
            }
            return Set.of();
        }
        Set<Integer> gained = new TreeSet<>();
        for (int shard = 0; shard < shardCount; shard++) {
            boolean mine = me.equals(Rendezvous.owner(shard, liveRouters));
            if (!mine && epochs.containsKey(shard)) {
                claims.release(shard, me, epochs.remove(shard));
                replaying.remove(shard);
            } else if (mine && !epochs.containsKey(shard) && claim(shard, isAlive)) {
                gained.add(shard);
            }
        }
        if (!gained.isEmpty()) {
            LOG.infof("Router %s took over shards %s (now owns %d)", me, gained, epochs.size());
        }
        publish();
        return gained;
    }

    /** Gives up every shard, for a clean shutdown: peers claim them at once. */
    public void releaseAll() {
        epochs.forEach((shard, epoch) -> claims.release(shard, me, epoch));
        epochs.clear();
        replaying.clear();
        publish();
    }

    /**
     * Routes every owned shard from its pending entries again, oldest first, before anything new:
     * after a failed batch, the entries it read are pending to this router and would otherwise
     * never be read again.
     */
    public void replayAll() {
        replaying.addAll(epochs.keySet());
    }

    /**
     * Forgets every claim without releasing it, for when Redis lost its data: the claims are gone
     * from Redis already, and the shards are claimed afresh on the next reconcile.
     */
    public void forgetAll() {
        epochs.clear();
        replaying.clear();
        toHandOver.clear();
        publish();
    }

    /**
     * Compares every claim this router holds with the shard's owner record and forgets those a
     * peer took meanwhile. For after a stall: a read of a shard it no longer owns would put the
     * entries in this router's pending list, where its successor never looks.
     *
     * @return the shards forgotten
     */
    public Set<Integer> verifyClaims() {
        Set<Integer> taken = new TreeSet<>();
        for (Map.Entry<Integer, Long> owned : Map.copyOf(epochs).entrySet()) {
            ShardClaims.Claim current = claims.read(owned.getKey());
            if (!me.equals(current.owner()) || current.epoch() != owned.getValue()) {
                lost(owned.getKey());
                taken.add(owned.getKey());
            }
        }
        return taken;
    }

    /**
     * Forgets a shard that a peer claimed behind this router's back (its writes were fenced, or
     * its claim was found gone), and hands the peer what this router read of it since: entries
     * pending to this router would otherwise wait where no other router looks.
     */
    public void lost(int shard) {
        epochs.remove(shard);
        replaying.remove(shard);
        publish();
        LOG.warnf("Router %s lost shard %d to a newer owner", me, shard);
        toHandOver.add(shard);
        handOverPending();
    }

    /**
     * Hands the entries pending to this router in the shards it lost to their owners; a hand-over
     * that fails (Redis out of reach) stays due, and the next reconcile tries it again.
     */
    private void handOverPending() {
        for (Iterator<Integer> due = toHandOver.iterator(); due.hasNext();) {
            int shard = due.next();
            long handedOver = claims.handOverPending(shard, me);
            due.remove();
            if (handedOver > 0) {
                LOG.warnf("Router %s handed %d entries of shard %d, read after a peer claimed it, to the peer", me,
                        handedOver, shard);
            }
        }
    }

    public Map<Integer, Long> epochs() {
        return Collections.unmodifiableMap(epochs);
    }

    /** The shards owned after the last change, with their epochs: safe to read from any thread. */
    public Map<Integer, Long> published() {
        return published;
    }

    private void publish() {
        published = Map.copyOf(epochs);
    }

    /** Owned shards whose taken-over entries are still being routed. */
    public Set<Integer> replaying() {
        return Collections.unmodifiableSet(replaying);
    }

    public void replayed(int shard) {
        replaying.remove(shard);
    }

    private boolean claim(int shard, Predicate<String> isAlive) {
        ShardClaims.Claim current = claims.read(shard);
        boolean free = current.owner().isEmpty() || current.owner().equals(me) || !isAlive.test(current.owner());
        if (!free) {
            return false;
        }
        long epoch = claims.claim(shard, current.owner(), me);
        if (epoch < 0) {
            return false;
        }
        takeOverPendingEntries(shard);
        epochs.put(shard, epoch);
        replaying.add(shard);
        return true;
    }

    private void takeOverPendingEntries(int shard) {
        RStream<String, String> stream = redis.getStream(layout.shardStream(shard), StringCodec.INSTANCE);
        ConsumerGroups.createIfMissing(stream, StreamLayout.ROUTER_GROUP);
        ConsumerGroups.takeOverPending(stream, StreamLayout.ROUTER_GROUP, me);
    }
}
