package io.herald.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import io.herald.contract.PodSettings;

/**
 * A gateway's own settings, each with one name and one default, so that two classes reading one
 * setting (the REST body limit, the event size limit) cannot disagree. What every node reads to
 * reach Redis is {@code StreamsConfig}'s, the Lease's {@code MembershipConfig}'s, and the frame
 * size limit is WebSockets Next's own ({@code quarkus.websockets-next.server.max-message-size}).
 */
@ConfigMapping(prefix = "herald")
public interface GatewayConfig {

    Gateway gateway();

    Rest rest();

    Limits limits();

    Connection connection();

    /** Seconds of silence after which a client should ping; told to clients in {@code pusher:connection_established}. */
    @WithDefault("120")
    int activityTimeoutSeconds();

    /** Seconds a pinged connection has to answer before it is closed. */
    @WithDefault("30")
    int pongTimeoutSeconds();

    /** Seconds a connection of an app that requires user authentication has to sign in. */
    @WithDefault("30")
    int signinTimeoutSeconds();

    Drain drain();

    Inbox inbox();

    Streams streams();

    App app();

    Apps apps();

    History history();

    Mongodb mongodb();

    Webhooks webhooks();

    Console console();

    interface Gateway {
        /** The most connections this gateway holds, whatever the apps; 0 for no limit. */
        @WithDefault("0")
        int maxConnections();

        /** Inbox lag past which the gateway refuses new connections (4100) until it catches up. */
        @WithDefault("2s")
        Duration overloadLag();

        /** An inbox reader that has not finished a read for this long fails the liveness probe. */
        @WithDefault("60s")
        Duration wedgedAfter();
    }

    interface Rest {
        /** The largest REST request body; a batch may be ten times this. */
        @WithDefault("65536")
        long maxBodyBytes();

        /** How far a signed request's timestamp may be from the gateway's clock. */
        @WithDefault("600")
        long timestampWindowSeconds();
    }

    interface Limits {
        /** The largest event data, from the REST API, a client or the console (Pusher: 10 KB). */
        @WithDefault("10240")
        int maxEventDataBytes();

        /** Client events one connection may send per second (Pusher: 10). */
        @WithDefault("10")
        int clientEventsPerSecond();

        /** Channels one connection may hold, unless its app sets its own limit. */
        @WithDefault("128")
        int maxChannelsPerConnection();

        /** Subscriptions one connection may make per second, unless its app sets its own limit. */
        @WithDefault("10")
        int subscribesPerSecond();

        /** {@link PodSettings#CONNECTIONS_PER_ADDRESS}. */
        @WithDefault("0")
        int connectionsPerAddress();
    }

    interface Connection {
        /** Bytes a connection may have waiting to be written before it is closed as too slow. */
        @WithDefault("1048576")
        long maxQueuedBytes();
    }

    interface Drain {
        /** {@link PodSettings#DRAIN_PERIOD}. */
        @WithDefault("30s")
        Duration period();
    }

    interface Inbox {
        /** Inbox entries one read takes at most. */
        @WithDefault("1024")
        int batchSize();
    }

    interface Streams {
        /** Entries a shard may hold unrouted before publications to it are refused (503, 4301). */
        @WithDefault("100000")
        long shardBacklogBudget();
    }

    /** The one app of a local or single-app gateway ({@link PodSettings#APP_ID} and the like). */
    interface App {
        Optional<String> id();

        Optional<String> key();

        Optional<String> secret();

        @WithDefault("true")
        boolean clientEvents();

        @WithDefault("false")
        boolean userAuthentication();

        @WithDefault("0")
        int maxConnections();

        /** A JSON array of webhooks. */
        Optional<String> webhooks();

        @WithDefault("false")
        boolean subscriptionCount();
    }

    interface Apps {
        /** A JSON array of apps. */
        Optional<String> json();

        /** A file holding a JSON array of apps. */
        Optional<Path> file();

        /** A Kubernetes Secret holding a JSON array of apps, watched for changes. */
        Optional<String> secret();
    }

    interface History {
        /** Events a channel's history keeps, unless its app's rules say otherwise. */
        @WithDefault("100")
        int size();

        /** Seconds a channel's history keeps its events, unless its app's rules say otherwise. */
        @WithDefault("120")
        int ttlSeconds();
    }

    interface Mongodb {
        /** {@link PodSettings#MONGODB_URI}; unset or blank, history is read from Redis only. */
        Optional<String> uri();

        /** Whether a MongoDB is configured: a blank URI, as an empty environment variable gives, is none. */
        default boolean configured() {
            return uri().filter(uri -> !uri.isBlank()).isPresent();
        }
    }

    interface Webhooks {
        /** How long a receiver has to answer one request. */
        @WithDefault("5s")
        Duration timeout();

        /** How many times a request is sent before it is given up. */
        @WithDefault("5")
        int attempts();

        /** The delay before the first retry; each later one doubles it, up to 30 s. */
        @WithDefault("1s")
        Duration firstRetry();

        @WithDefault("64")
        int maxInFlight();

        /** Facts one read takes at most. */
        @WithDefault("100")
        int batchSize();

        /**
         * How long a fact read by a gateway that went away stays unsent before another gateway
         * claims it: longer than a request with all its retries takes, so only a dead gateway's
         * entries are that idle.
         */
        @WithDefault("5m")
        Duration claimIdle();

        @WithDefault("30s")
        Duration claimPeriod();

        /** Webhook facts kept for the gateways to send, at most (about): older ones go while no gateway reads. */
        @WithDefault("100000")
        int maxLength();
    }

    interface Console {
        /** {@link PodSettings#CONSOLE_ENABLED}. */
        @WithDefault("false")
        boolean enabled();
    }
}
