package io.herald.router.archive;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.herald.router.RouterConfig;

/**
 * How a router archives publications to MongoDB. Without {@code herald.mongodb.uri} the archive is
 * off. The backlog budget bounds each archive stream: the routing loop appends to it with
 * {@code MAXLEN ~ budget}, so an archive that cannot write (MongoDB down) costs Redis at most that
 * many entries per shard, and the oldest are dropped beyond it.
 */
@ApplicationScoped
public class ArchiveSettings {

    @Inject
    RouterConfig config;

    public boolean enabled() {
        return config.mongodb().uri().filter(value -> !value.isBlank()).isPresent();
    }

    public String database() {
        return config.mongodb().database();
    }

    /** Entries per shard an archive stream may hold before its oldest are dropped (MAXLEN ~). */
    public long backlogBudget() {
        return config.archive().backlogBudget();
    }

    public int batchSize() {
        return config.archive().batchSize();
    }

    public Duration maxRetry() {
        return config.archive().maxRetry();
    }
}
