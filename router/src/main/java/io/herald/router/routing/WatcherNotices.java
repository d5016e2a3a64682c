package io.herald.router.routing;

import java.util.ArrayList;
import java.util.List;

import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.streams.Publication;
import io.herald.streams.ShardStreams;
import io.herald.streams.StreamLayout;
import io.herald.streams.UserChannels;

/**
 * Watchlist events: when a signed-in user comes online (their first connection anywhere) or goes
 * offline (their last), the users watching them hear it on their own user channels, which reach
 * their connections wherever they are. The router that owns the user's channel sees both moments.
 */
final class WatcherNotices {

    /** A signed-in user came online or went offline. */
    record UserPresence(String app, String userId, boolean online) {
    }

    private final RedissonClient redis;
    private final StreamLayout layout;
    private final ShardStreams shardStreams;

    WatcherNotices(RedissonClient redis, StreamLayout layout, ShardStreams shardStreams) {
        this.redis = redis;
        this.layout = layout;
        this.shardStreams = shardStreams;
    }

    /** Publishes the changes to the watchers recorded at their sign-in; returns once Redis holds them. */
    void tell(List<UserPresence> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<Publication> events = new ArrayList<>();
        for (UserPresence change : changes) {
            String data = UserChannels.watchlistEvents(change.online() ? "online" : "offline", List.of(change.userId()));
            for (String watcher : redis.<String>getSet(layout.watchers(change.app(), change.userId()), StringCodec.INSTANCE)
                    .readAll()) {
                events.add(new Publication(change.app(), UserChannels.of(watcher), UserChannels.WATCHLIST_EVENTS, data, null));
            }
        }
        if (!events.isEmpty()) {
            shardStreams.append(events).toCompletableFuture().join();
        }
    }
}
