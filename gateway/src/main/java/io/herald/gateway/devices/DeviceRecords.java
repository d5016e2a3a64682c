package io.herald.gateway.devices;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.gateway.apps.App;
import io.herald.gateway.apps.AppRegistry;
import io.herald.gateway.devices.AckCoalescer.DeviceKey;
import io.herald.streams.ClusterSettings;
import io.herald.streams.Position;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * What each device of a user acknowledged of the user's personal stream, kept in Redis
 * ({@code devices:{app}:{user}}): where the device's delivery starts at its next sign-in, and what
 * the receipts endpoints show. Acknowledgements are coalesced per device and written on one shared
 * timer, so a client acknowledging every event costs Redis one write per device every
 * {@value #FLUSH_MILLIS} ms at most; a flush that fails is retried with the next one.
 */
@ApplicationScoped
public class DeviceRecords {

    private static final Logger LOG = Logger.getLogger(DeviceRecords.class);

    static final long FLUSH_MILLIS = 250;

    /**
     * Applies an ack as {@link DeviceAck#then} merges: forward only within an epoch, a new epoch
     * replaces, no epoch refreshes the last-seen time. Run in Redis, so acks from two gateways
     * (two connections of one device) cannot move the device back.
     */
    private static final String ACK = """
            local epoch, offset, seen = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if current then
              local record = cjson.decode(current)
              if epoch == '' or (record.epoch == epoch and record.offset >= offset) then
                epoch, offset = record.epoch, record.offset
              end
              if record.seen > seen then seen = record.seen end
            end
            redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({epoch = epoch, offset = offset, seen = seen}))
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            return 1
            """;

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    @Inject
    AppRegistry apps;

    @Inject
    Vertx vertx;

    private final AckCoalescer pending = new AckCoalescer();
    private long timer;

    @PostConstruct
    void start() {
        timer = vertx.setPeriodic(FLUSH_MILLIS, id -> flush());
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timer);
        flush();
    }

    /** Records, at the next flush, that the user's device processed everything up to the position. */
    public void acknowledge(App app, String userId, String device, Position position) {
        pending.add(new DeviceKey(app.id(), userId, device),
                new DeviceAck(position.epoch(), position.offset(), System.currentTimeMillis()));
    }

    /**
     * Where the device's delivery of the user's personal stream starts at sign-in (see
     * {@link SigninStart}), and marks the device seen there, so a device that signs in once and
     * never acknowledges anything still gets, next time, what was sent after this sign-in.
     *
     * @param asked the position the client asked to recover from, or null
     * @return the position to recover after, or null for the stream's position when routed
     */
    public CompletionStage<Position> signinStart(App app, String userId, String device, String userChannel, Position asked) {
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        RFuture<String> stored = batch.<String, String>getMap(cluster.layout().devices(app.id(), userId), StringCodec.INSTANCE)
                .getAsync(device);
        RFuture<Map<String, String>> position = batch.<String, String>getMap(cluster.layout().position(app.id(), userChannel),
                StringCodec.INSTANCE).readAllMapAsync();
        return batch.executeAsync().thenApply(ignored -> {
            DeviceAck known = parse(stored.toCompletableFuture().join());
            Map<String, String> record = position.toCompletableFuture().join();
            Position current = record.containsKey("epoch") && record.containsKey("offset")
                    ? new Position(record.get("epoch"), Long.parseLong(record.get("offset"))) : null;
            Position start = SigninStart.of(known, current, asked);
            DeviceKey key = new DeviceKey(app.id(), userId, device);
            long now = System.currentTimeMillis();
            pending.add(key, start == null ? DeviceAck.seen(now) : new DeviceAck(start.epoch(), start.offset(), now));
            return start;
        });
    }

    /** A device as the receipts endpoints show it. */
    public record Device(String id, DeviceAck ack) {
    }

    /** The user's devices known to Redis, with what each acknowledged. */
    public CompletionStage<List<Device>> devices(String appId, String userId) {
        return redis.<String, String>getMap(cluster.layout().devices(appId, userId), StringCodec.INSTANCE).readAllMapAsync()
                .thenApply(records -> {
                    List<Device> devices = new ArrayList<>();
                    records.forEach((id, json) -> devices.add(new Device(id, parse(json))));
                    devices.sort((a, b) -> a.id().compareTo(b.id()));
                    return devices;
                });
    }

    private static DeviceAck parse(String json) {
        if (json == null) {
            return null;
        }
        JsonObject record = new JsonObject(json);
        return new DeviceAck(record.getString("epoch", ""), record.getLong("offset", 0L), record.getLong("seen", 0L));
    }

    /** Writes the waiting acks in one pipelined round trip; those that fail wait for the next flush. */
    void flush() {
        if (pending.isEmpty() || redis.isShuttingDown() || redis.isShutdown()) {
            return;
        }
        Map<DeviceKey, DeviceAck> acks = pending.drain();
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        acks.forEach((key, ack) -> batch.getScript(StringCodec.INSTANCE).evalAsync(RScript.Mode.READ_WRITE, ACK,
                RScript.ReturnType.LONG, List.of(cluster.layout().devices(key.app(), key.userId())), key.device(), ack.epoch(),
                Long.toString(ack.offset()), Long.toString(ack.seenMillis()), Long.toString(ttlMillis(key.app()))));
        batch.executeAsync().whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warnf("Writing %d device acknowledgements failed, retrying: %s", acks.size(), failure.getMessage());
                acks.forEach(pending::add);
            }
        });
    }

    /** Twice the app's offline retention: a device record outlives what it points into. */
    private long ttlMillis(String appId) {
        return apps.byId(appId).map(app -> app.rules().offline().retentionSeconds()).orElse(86_400) * 2000L;
    }
}
