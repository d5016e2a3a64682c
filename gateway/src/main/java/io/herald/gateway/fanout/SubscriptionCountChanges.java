package io.herald.gateway.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.herald.streams.OrderedShardWriter;
import io.herald.streams.SubscriptionCountChange;
import io.vertx.core.Vertx;

/**
 * Tells the channel's router that this gateway's subscription count changed, for apps that count
 * subscriptions; the router then announces the cluster-wide count to every subscriber. Changes are
 * coalesced per channel on one shared timer, and, as Pusher does, a channel with more than
 * {@value #THROTTLE_ABOVE} subscribers is announced at most every {@value #THROTTLE_MILLIS} ms from
 * here: otherwise 5,000 connections joining one channel would cost 25 million deliveries of counts.
 * A change held back by the throttle stays due and goes out when it ends, so the last count
 * subscribers hear is the final one. The change travels behind this gateway's interest
 * announcement for the channel, so a connection that just subscribed hears the count too.
 */
@ApplicationScoped
public class SubscriptionCountChanges {

    static final long FLUSH_MILLIS = 100;
    static final long THROTTLE_ABOVE = 100;
    static final long THROTTLE_MILLIS = 5000;

    @Inject
    OrderedShardWriter writer;

    @Inject
    Vertx vertx;

    /** Channels whose change is due, with the cluster-wide count this gateway saw last. */
    private final Map<ChannelKey, Long> due = new ConcurrentHashMap<>();
    /** When each channel's last change went out, for the throttle; entries older than it are dropped. */
    private final Map<ChannelKey, Long> sentAt = new ConcurrentHashMap<>();
    private long timer;

    @PostConstruct
    void start() {
        timer = vertx.setPeriodic(FLUSH_MILLIS, id -> dueAt(System.currentTimeMillis())
                .forEach(channel -> writer.append(new SubscriptionCountChange(channel.app(), channel.channel()))));
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timer);
    }

    /** @param total the channel's cluster-wide count right after this gateway's change */
    void changed(ChannelKey channel, long total) {
        due.put(channel, total);
    }

    /** Takes the changes that may go out now, and marks them sent. */
    List<ChannelKey> dueAt(long now) {
        sentAt.values().removeIf(at -> now - at >= THROTTLE_MILLIS);
        List<ChannelKey> ready = new ArrayList<>();
        due.forEach((channel, total) -> {
            // A change that arrived meanwhile stays due for the next flush.
            if ((total <= THROTTLE_ABOVE || !sentAt.containsKey(channel)) && due.remove(channel, total)) {
                sentAt.put(channel, now);
                ready.add(channel);
            }
        });
        return ready;
    }
}
