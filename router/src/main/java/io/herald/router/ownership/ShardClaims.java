package io.herald.router.ownership;

import java.util.List;
import java.util.Map;

import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.streams.StreamLayout;

/**
 * Who owns each shard, in Redis: {@code herald:{c}:shard-owner:{n}} holds the owner and an epoch
 * that grows with every claim. Claiming is a compare-and-set on the previous owner, so two
 * routers that both think a shard is free cannot both get it; every write a router makes for the
 * shard checks the epoch (see {@code FencedWrites}), so a router that lost it cannot write.
 */
public final class ShardClaims {

    /** The owner recorded for a shard; {@code owner} is empty when nobody holds it. */
    public record Claim(String owner, long epoch) {
    }

    private static final String CLAIM = """
            local owner = redis.call('HGET', KEYS[1], 'owner') or ''
            if owner ~= ARGV[1] then return -1 end
            local epoch = redis.call('HINCRBY', KEYS[1], 'epoch', 1)
            redis.call('HSET', KEYS[1], 'owner', ARGV[2])
            return epoch
            """;

    private static final String RELEASE = """
            if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] and redis.call('HGET', KEYS[1], 'epoch') == ARGV[2] then
              redis.call('HSET', KEYS[1], 'owner', '')
              return 1
            end
            return 0
            """;

    /**
     * Moves the entries pending to a router (ARGV[2]) in the shard's stream to the shard's owner,
     * unless nobody holds the shard (its next claimer takes every pending entry over anyway) or
     * the router holds it itself. {@code JUSTID}: the entries' fields are not needed here, and
     * Redis 7 drops from the pending list an entry that was trimmed meanwhile, so every round
     * makes progress; the bound on rounds is only a safety net.
     */
    private static final String HAND_OVER = """
            local owner = redis.call('HGET', KEYS[1], 'owner')
            if not owner or owner == '' or owner == ARGV[2] then return 0 end
            local moved = 0
            for round = 1, 1000 do
              local pending = redis.call('XPENDING', KEYS[2], ARGV[1], '-', '+', 1000, ARGV[2])
              if #pending == 0 then break end
              local ids = {}
              for i, entry in ipairs(pending) do ids[i] = entry[1] end
              ids[#ids + 1] = 'JUSTID'
              redis.call('XCLAIM', KEYS[2], ARGV[1], owner, 0, unpack(ids))
              moved = moved + #pending
              if #pending < 1000 then break end
            end
            return moved
            """;

    private final RedissonClient redis;
    private final StreamLayout layout;

    public ShardClaims(RedissonClient redis, StreamLayout layout) {
        this.redis = redis;
        this.layout = layout;
    }

    public Claim read(int shard) {
        Map<String, String> fields = redis.<String, String>getMap(layout.shardOwner(shard), StringCodec.INSTANCE).readAllMap();
        String epoch = fields.get("epoch");
        return new Claim(fields.getOrDefault("owner", ""), epoch == null ? 0 : Long.parseLong(epoch));
    }

    /**
     * Takes the shard over from {@code previousOwner} (empty for a free shard).
     *
     * @return the new epoch, or -1 if the owner is no longer {@code previousOwner}
     */
    public long claim(int shard, String previousOwner, String router) {
        Long epoch = redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, CLAIM, RScript.ReturnType.LONG,
                List.of(layout.shardOwner(shard)), previousOwner, router);
        return epoch;
    }

    /**
     * Hands the entries of the shard's stream still pending to {@code router}, which lost the
     * shard, to its owner now. The owner's take-over moved the pending entries when it claimed the
     * shard; a read this router made afterwards (one issued just before a stall, or read ahead)
     * left entries pending to it, where no other router looks. The owner routes them with its
     * next check for orphaned reads.
     *
     * @return how many entries were handed over
     */
    public long handOverPending(int shard, String router) {
        Long moved = redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, HAND_OVER, RScript.ReturnType.LONG,
                List.of(layout.shardOwner(shard), layout.shardStream(shard)), StreamLayout.ROUTER_GROUP, router);
        return moved;
    }

    /** Gives the shard up, if this router still holds it at this epoch. */
    public boolean release(int shard, String router, long epoch) {
        Long released = redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, RELEASE, RScript.ReturnType.LONG,
                List.of(layout.shardOwner(shard)), router, Long.toString(epoch));
        return released == 1;
    }
}
