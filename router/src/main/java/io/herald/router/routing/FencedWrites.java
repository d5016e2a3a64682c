package io.herald.router.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.herald.streams.StreamLayout;

/**
 * The writes a router makes for its shards, collected per shard and applied by one Lua script per
 * shard that first checks the shard's epoch. A router that lost a shard (a peer claimed it with a
 * higher epoch) writes nothing for it, so deliveries and acknowledgements of a shard only ever
 * come from its current owner. Within a shard, everything in one batch is applied atomically:
 * deliveries and the acknowledgement of the entries they came from.
 *
 * <p>The fence compares the owner as well as the epoch: epochs restart at 1 when Redis loses its
 * data, so a router that has not noticed yet could otherwise hold the same epoch as the shard's
 * new owner.
 *
 * <p>A shard's writes travel as one JSON array of strings, which the script decodes with Redis'
 * built-in {@code cjson}: passed as separate arguments (about 50 per publication), Redisson
 * encoded each into a buffer of its own, which took more than half of the routing thread's CPU
 * in a profile at 400 publications/s. Every key the script touches is declared in KEYS (the
 * shard's owner record first) and named in the array by its index there: Redis Cluster routes a
 * script by its declared keys, and all of them carry the shard's slot group's hash tag.
 *
 * <p>One write cannot join the script on a Redis Cluster: an append to the shard stream of a
 * channel in another slot group (a persistent subscriber's copy). Those are appended, pipelined,
 * before the fenced scripts run, so they are at least once rather than exactly once: a batch
 * replayed after a failure or refused by the fence copies again, and the copy's source position
 * lets a client drop the repeat. On one Redis every shard is in the one group and nothing changes.
 */
public final class FencedWrites {

    private static final String SCRIPT = """
            if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'owner') ~= ARGV[2] then
              return 0
            end
            local function older(a, b)
              local ams, aseq = string.match(a, '^(%d+)-(%d+)$')
              local bms, bseq = string.match(b, '^(%d+)-(%d+)$')
              if tonumber(ams) ~= tonumber(bms) then
                if tonumber(ams) < tonumber(bms) then return a else return b end
              end
              if tonumber(aseq) <= tonumber(bseq) then return a else return b end
            end
            local A = cjson.decode(ARGV[3])
            local i = 1
            while i <= #A do
              local op = A[i]
              local key = KEYS[tonumber(A[i + 1])]
              if op == 'deliver' then
                local count = tonumber(A[i + 3])
                local args = {key, 'MAXLEN', '~', A[i + 2], '*'}
                for j = 1, 2 * count do args[#args + 1] = A[i + 3 + j] end
                redis.call('XADD', unpack(args))
                i = i + 4 + 2 * count
              elseif op == 'append' then
                local count = tonumber(A[i + 2])
                local args = {key, '*'}
                for j = 1, 2 * count do args[#args + 1] = A[i + 2 + j] end
                redis.call('XADD', unpack(args))
                i = i + 3 + 2 * count
              elseif op == 'history' then
                local count = tonumber(A[i + 4])
                local args = {key, 'MAXLEN', A[i + 3], A[i + 2] .. '-0'}
                for j = 1, 2 * count do args[#args + 1] = A[i + 4 + j] end
                local added = redis.pcall('XADD', unpack(args))
                if type(added) == 'table' and added.err then
                  -- The stream holds this offset or later ones: written by a batch that failed
                  -- half way and is now replayed. Streams refuse ids at or below any they ever
                  -- held, so it is rebuilt from the entries before this offset.
                  local kept = redis.call('XRANGE', key, '-', '(' .. A[i + 2] .. '-0')
                  redis.call('DEL', key)
                  for _, entry in ipairs(kept) do
                    redis.call('XADD', key, entry[1], unpack(entry[2]))
                  end
                  redis.call('XADD', unpack(args))
                end
                i = i + 5 + 2 * count
              elseif op == 'position' then
                redis.call('HSET', key, 'epoch', A[i + 2], 'offset', A[i + 3])
                redis.call('PEXPIRE', key, A[i + 4])
                i = i + 5
              elseif op == 'pexpire' then
                redis.call('PEXPIRE', key, A[i + 2])
                i = i + 3
              elseif op == 'del' then
                redis.call('DEL', key)
                i = i + 2
              elseif op == 'sadd' then
                redis.call('SADD', key, A[i + 2])
                i = i + 3
              elseif op == 'srem' then
                redis.call('SREM', key, A[i + 2])
                i = i + 3
              elseif op == 'hset' then
                redis.call('HSET', key, A[i + 2], A[i + 3])
                i = i + 4
              elseif op == 'setpx' then
                redis.call('SET', key, A[i + 2], 'PX', A[i + 3])
                i = i + 4
              elseif op == 'hdel' then
                redis.call('HDEL', key, A[i + 2])
                i = i + 3
              elseif op == 'ack' then
                redis.call('XACK', key, A[i + 2], A[i + 3])
                i = i + 4
              elseif op == 'trim' then
                local keep = A[i + 2]
                local pending = redis.call('XPENDING', key, A[i + 3])
                if pending[2] then keep = older(pending[2], keep) end
                redis.call('XTRIM', key, 'MINID', '~', keep)
                i = i + 4
              else
                return redis.error_reply('unknown fenced write ' .. tostring(op))
              end
            end
            return 1
            """;

    private final StreamLayout layout;
    private final Map<Integer, ShardScript> byShard = new LinkedHashMap<>();
    /** Appends to streams of other slot groups, in order: stream, then its fields. */
    private final List<Map.Entry<String, Map<String, String>>> crossGroup = new ArrayList<>();

    /** One shard's script: its declared keys (the owner record first) and its writes, keys by index. */
    private static final class ShardScript {
        final List<Object> keys = new ArrayList<>();
        final Map<String, Integer> indexByKey = new HashMap<>();
        final List<String> arguments = new ArrayList<>();

        ShardScript(String ownerKey) {
            index(ownerKey);
        }

        /** The key's 1-based index in KEYS, declaring it on first use. */
        String index(String key) {
            return Integer.toString(indexByKey.computeIfAbsent(key, k -> {
                keys.add(k);
                return keys.size();
            }));
        }
    }

    public FencedWrites(StreamLayout layout) {
        this.layout = layout;
    }

    public void deliver(int shard, String inbox, int maxLength, Map<String, String> fields) {
        List<String> arguments = opening(shard, "deliver", inbox);
        arguments.add(Integer.toString(maxLength));
        arguments.add(Integer.toString(fields.size()));
        fields.forEach((name, value) -> {
            arguments.add(name);
            arguments.add(value);
        });
    }

    /**
     * Appends an entry to another shard's stream, not capped here: in the shard's script when the
     * two shards share a slot group, else before the scripts (see the class comment).
     */
    public void appendToShard(int shard, int targetShard, Map<String, String> fields) {
        String stream = layout.shardStream(targetShard);
        if (layout.groupOf(targetShard) != layout.groupOf(shard)) {
            crossGroup.add(Map.entry(stream, fields));
            return;
        }
        List<String> arguments = opening(shard, "append", stream);
        arguments.add(Integer.toString(fields.size()));
        fields.forEach((name, value) -> {
            arguments.add(name);
            arguments.add(value);
        });
    }

    /**
     * Appends an event to a channel's history as entry {@code <offset>-0}, keeping the last
     * {@code size} entries exactly. Entries at or after the offset, left by a batch that failed
     * half way (Redis does not roll a failed script back), are replaced.
     */
    public void appendHistory(int shard, String history, long offset, int size, Map<String, String> fields) {
        List<String> arguments = opening(shard, "history", history);
        arguments.add(Long.toString(offset));
        arguments.add(Integer.toString(size));
        arguments.add(Integer.toString(fields.size()));
        fields.forEach((name, value) -> {
            arguments.add(name);
            arguments.add(value);
        });
    }

    /** Records a channel's last position, expiring after {@code ttlMillis} without a new one. */
    public void setPosition(int shard, String positionKey, String epoch, long offset, long ttlMillis) {
        add(shard, "position", positionKey, epoch, Long.toString(offset), Long.toString(ttlMillis));
    }

    public void expire(int shard, String key, long ttlMillis) {
        add(shard, "pexpire", key, Long.toString(ttlMillis));
    }

    public void delete(int shard, String key) {
        add(shard, "del", key);
    }

    public void setField(int shard, String hash, String field, String value) {
        add(shard, "hset", hash, field, value);
    }

    public void removeField(int shard, String hash, String field) {
        add(shard, "hdel", hash, field);
    }

    public void setExpiring(int shard, String key, String value, long ttlMillis) {
        add(shard, "setpx", key, value, Long.toString(ttlMillis));
    }

    public void addToSet(int shard, String set, String member) {
        add(shard, "sadd", set, member);
    }

    public void removeFromSet(int shard, String set, String member) {
        add(shard, "srem", set, member);
    }

    /** Records a gateway's interest, and indexes it so it can be cleaned up when the gateway dies. */
    void addInterest(int shard, String interestKey, String gateway) {
        addToSet(shard, interestKey, gateway);
        addToSet(shard, layout.gatewayInterest(gateway, shard), interestKey);
    }

    void removeInterest(int shard, String interestKey, String gateway) {
        removeFromSet(shard, interestKey, gateway);
        removeFromSet(shard, layout.gatewayInterest(gateway, shard), interestKey);
    }

    /**
     * Removes a dead gateway from the shard's interest sets its index names (read beforehand: only
     * this shard's owner writes the index), from their channels' subscription counts, and drops
     * the index. Passed key by key, since a script may touch only the keys it declares.
     */
    void forgetGateway(int shard, String gateway, Set<String> interestKeys) {
        for (String interestKey : interestKeys) {
            removeFromSet(shard, interestKey, gateway);
            String[] appAndChannel = layout.appAndChannelOfInterestKey(interestKey);
            removeField(shard, layout.subscriptions(appAndChannel[0], appAndChannel[1]), gateway);
        }
        delete(shard, layout.gatewayInterest(gateway, shard));
    }

    void acknowledge(int shard, String stream, String group, String entryId) {
        add(shard, "ack", stream, group, entryId);
    }

    /**
     * Drops the shard stream's entries older than {@code oldestKept}, the first entry of a batch,
     * but never an entry that is still pending in the group (read by some router, not yet
     * acknowledged): after a failed batch those are replayed, and an acknowledged publication
     * must not be trimmed before it was routed. Entries past the group's last read are newer than
     * any batch, so they are never touched. Approximate ({@code ~}), so Redis trims whole nodes only.
     */
    void trimBefore(int shard, String stream, String group, String oldestKept) {
        add(shard, "trim", stream, oldestKept, group);
    }

    boolean isEmpty() {
        return byShard.isEmpty() && crossGroup.isEmpty();
    }

    /**
     * Applies every shard's writes in one pipelined round trip.
     *
     * @param owner the router writing: the fence checks it with the epoch
     * @return the shards whose epoch no longer matched: this router has lost them and wrote nothing
     */
    Set<Integer> execute(RedissonClient redis, String owner, Map<Integer, Long> epochs) {
        return executeThen(redis, owner, epochs, null).fenced();
    }

    /** What {@link #executeThen} did: the shards refused by their fence, and what the command sent after the writes answered. */
    record Applied<T>(Set<Integer> fenced, T then) {
    }

    /**
     * Applies every shard's writes, then {@code then}'s command (unless null), in one pipelined
     * round trip: Redis runs the command after the writes, and the answer comes with theirs.
     */
    <T> Applied<T> executeThen(RedissonClient redis, String owner, Map<Integer, Long> epochs,
            Function<RBatch, RFuture<T>> then) {
        return awaited(executeThenAsync(redis, owner, epochs, then));
    }

    /** Waits for the stage, throwing what failed it as it was thrown, as Redisson's blocking calls do. */
    static <T> T awaited(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * {@link #executeThen} without waiting: the answer completes on the Redis client's event loop.
     * The appends to other slot groups' streams (see the class comment) go first, in a round trip
     * of their own.
     */
    <T> CompletionStage<Applied<T>> executeThenAsync(RedissonClient redis, String owner, Map<Integer, Long> epochs,
            Function<RBatch, RFuture<T>> then) {
        if (crossGroup.isEmpty()) {
            return scriptsThen(redis, owner, epochs, then);
        }
        RBatch appends = redis.createBatch(BatchOptions.defaults());
        crossGroup.forEach(append -> appends.<String, String>getStream(append.getKey(), StringCodec.INSTANCE)
                .addAsync(StreamAddArgs.entries(append.getValue())));
        return appends.executeAsync().thenCompose(appended -> scriptsThen(redis, owner, epochs, then));
    }

    private <T> CompletionStage<Applied<T>> scriptsThen(RedissonClient redis, String owner, Map<Integer, Long> epochs,
            Function<RBatch, RFuture<T>> then) {
        if (byShard.isEmpty() && then == null) {
            return CompletableFuture.completedFuture(new Applied<>(Set.of(), null));
        }
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        Map<Integer, RFuture<Long>> results = new LinkedHashMap<>();
        byShard.forEach((shard, script) -> {
            results.put(shard, batch.getScript(StringCodec.INSTANCE).evalAsync(RScript.Mode.READ_WRITE, SCRIPT,
                    RScript.ReturnType.LONG, script.keys, Long.toString(epochs.getOrDefault(shard, -1L)),
                    owner, jsonArray(script.arguments)));
        });
        RFuture<T> answer = then == null ? null : then.apply(batch);
        List<CompletableFuture<?>> replies = new ArrayList<>();
        results.values().forEach(result -> replies.add(result.toCompletableFuture()));
        if (answer != null) {
            replies.add(answer.toCompletableFuture());
        }
        // Every reply is in before they are read: this runs on the Redis client's event loop, which must never wait.
        return batch.executeAsync().thenCompose(executed -> CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)))
                .thenApply(replied -> {
                    Set<Integer> fenced = new HashSet<>();
                    results.forEach((shard, result) -> {
                        if (result.toCompletableFuture().join() != 1L) {
                            fenced.add(shard);
                        }
                    });
                    return new Applied<>(fenced, answer == null ? null : answer.toCompletableFuture().join());
                });
    }

    /** The words as a JSON array of strings, for the script's {@code cjson.decode}. */
    static String jsonArray(List<String> words) {
        int length = 2;
        for (String word : words) {
            length += word.length() + 3;
        }
        StringBuilder json = new StringBuilder(length + 16).append('[');
        for (int i = 0; i < words.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append('"');
            JsonStringEncoder.getInstance().quoteAsString(words.get(i), json);
            json.append('"');
        }
        return json.append(']').toString();
    }

    /** Starts a write of the shard: its operation and the index of the key it writes. */
    private List<String> opening(int shard, String operation, String key) {
        ShardScript script = byShard.computeIfAbsent(shard, s -> new ShardScript(layout.shardOwner(s)));
        script.arguments.add(operation);
        script.arguments.add(script.index(key));
        return script.arguments;
    }

    private void add(int shard, String operation, String key, String... words) {
        List<String> arguments = opening(shard, operation, key);
        for (String word : words) {
            arguments.add(word);
        }
    }
}
