package io.herald.gateway.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.streams.ClusterSettings;
import io.herald.streams.UserChannels;

/**
 * Watchlists of signed-in users. At sign-in the watcher is recorded as watching each listed user
 * (the routers then tell it when those users come online or go offline) and is told which of
 * them are online now. A user is online while some gateway holds their user channel.
 */
@ApplicationScoped
class Watchlists {

    @Inject
    RedissonClient redis;

    @Inject
    ClusterSettings cluster;

    void watch(PusherConnection connection, String watcher, List<String> watched) {
        String app = connection.app().id();
        RBatch batch = redis.createBatch(BatchOptions.defaults());
        Map<String, RFuture<Boolean>> online = new LinkedHashMap<>();
        for (String user : watched) {
            batch.getSet(cluster.layout().watchers(app, user), StringCodec.INSTANCE).addAsync(watcher);
            online.put(user, batch.getSet(cluster.layout().interest(app, UserChannels.of(user)), StringCodec.INSTANCE)
                    .isExistsAsync());
        }
        batch.executeAsync().whenComplete((ignored, failure) -> {
            if (failure != null) {
                return;
            }
            List<String> onlineNow = new ArrayList<>();
            online.forEach((user, exists) -> {
                if (exists.toCompletableFuture().join()) {
                    onlineNow.add(user);
                }
            });
            if (!onlineNow.isEmpty()) {
                connection.send(Frames.withoutChannel(UserChannels.WATCHLIST_EVENTS,
                        UserChannels.watchlistEvents("online", onlineNow)));
            }
        });
    }
}
