package io.herald.router;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import io.herald.contract.PodSettings;

/**
 * A router's own settings, each with one name and one default. What every node reads to reach
 * Redis is {@code StreamsConfig}'s, and the Lease's {@code MembershipConfig}'s.
 */
@ConfigMapping(prefix = "herald")
public interface RouterConfig {

    Router router();

    Streams streams();

    Webhooks webhooks();

    Limits limits();

    Cache cache();

    History history();

    Mongodb mongodb();

    Archive archive();

    interface Router {
        /** Shard stream entries one turn reads at most. */
        @WithDefault("512")
        int batchSize();

        /**
         * How long a router's liveness record outlives its last renewal: the time peers need to
         * notice that it died, and the longest stall it survives without losing its shards.
         */
        @WithDefault("1500ms")
        Duration livenessTtl();

        /** A routing loop that has not finished a turn for this long fails the liveness probe. */
        @WithDefault("60s")
        Duration wedgedAfter();
    }

    interface Streams {
        /** Entries a gateway's inbox keeps at most (about) while the gateway does not read. */
        @WithDefault("100000")
        int inboxMaxLength();
    }

    interface Webhooks {
        /** Webhook facts kept for the gateways to send, at most (about): older ones go while no gateway reads. */
        @WithDefault("100000")
        int maxLength();
    }

    interface Limits {
        /** Members a presence channel admits (Pusher's limit is 100). */
        @WithDefault("100")
        int presenceMaxMembers();
    }

    interface Cache {
        /** How long a cache channel's last event is kept (Pusher: up to 30 minutes). */
        @WithDefault("1800")
        long ttlSeconds();
    }

    interface History {
        /**
         * How long a channel's position record outlives its last event: a client that comes back to
         * an idle channel within it learns it missed nothing rather than that it cannot know.
         */
        @WithDefault("86400")
        long metaTtlSeconds();
    }

    interface Mongodb {
        /** {@link PodSettings#MONGODB_URI}; unset or blank, the archive is off (routers write it, gateways read it). */
        Optional<String> uri();

        @WithDefault("herald")
        String database();

        /** Whether a MongoDB is configured: a blank URI, as an empty environment variable gives, is none. */
        default boolean configured() {
            return uri().filter(uri -> !uri.isBlank()).isPresent();
        }
    }

    interface Archive {
        /**
         * Entries per shard an archive stream may hold before its oldest are dropped: the routing
         * loop appends with {@code MAXLEN ~ budget}, so an archive that cannot write (MongoDB down)
         * costs Redis at most that many entries per shard.
         */
        @WithDefault("1000000")
        long backlogBudget();

        /** Entries read at a time, over all shards read; one MongoDB insert takes what one read brought. */
        @WithDefault("1000")
        int batchSize();

        /** The longest wait between two attempts while MongoDB fails. */
        @WithDefault("2s")
        Duration maxRetry();
    }
}
