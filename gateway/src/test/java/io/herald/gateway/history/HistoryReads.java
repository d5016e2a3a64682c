package io.herald.gateway.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;

import io.herald.streams.StreamLayout;
import io.vertx.core.json.JsonObject;

/** History reads of the test app, signed by pusher-http-java as it signs any GET, and the history they read. */
final class HistoryReads {

    static final String APP = "1";

    private final URI root;

    HistoryReads(URI root) {
        this.root = root;
    }

    /** The answer to a read that must succeed. */
    JsonObject read(String channel, Map<String, String> parameters) {
        Result result = get(channel, parameters, "herald-secret");
        assertEquals(Result.Status.SUCCESS, result.getStatus(), channel + " " + parameters + ": " + result.getMessage());
        return new JsonObject(result.getMessage());
    }

    Result get(String channel, Map<String, String> parameters, String secret) {
        return api(APP, secret).get("/channels/" + channel + "/events", parameters);
    }

    Pusher api(String app, String secret) {
        Pusher api = new Pusher(app, "herald-key", secret);
        api.setHost(root.getHost() + ":" + root.getPort());
        api.setEncrypted(false);
        return api;
    }

    /** Offsets from..to in the channel's hot history, and the channel's position at {@code to}, as its router writes them. */
    static void writeHot(RedissonClient redis, StreamLayout layout, String channel, String epoch, long from, long to) {
        RStream<String, String> stream = redis.getStream(layout.history(APP, channel), StringCodec.INSTANCE);
        for (long offset = from; offset <= to; offset++) {
            stream.add(new StreamMessageId(offset, 0), StreamAddArgs.entries(Map.of("event", "event-" + offset, "data",
                    "{\"n\":" + offset + "}")));
        }
        redis.getMap(layout.position(APP, channel), StringCodec.INSTANCE).putAll(Map.of("epoch", epoch, "offset", Long.toString(to)));
    }

    /** Removes every position record and hot history of the test app. */
    static void forgetHot(RedissonClient redis, StreamLayout layout) {
        redis.getKeys().deleteByPattern(layout.position(APP, "*"));
        redis.getKeys().deleteByPattern(layout.history(APP, "*"));
    }

    static List<Long> offsets(JsonObject answer) {
        return answer.getJsonArray("events").stream().map(event -> ((JsonObject) event).getLong("offset")).toList();
    }
}
