package io.herald.router.archive;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.herald.contract.PodSettings;

/**
 * How a router archives publications to MongoDB. Without {@code herald.mongodb.uri} the archive is
 * off. The backlog budget bounds each archive stream: the routing loop appends to it with
 * {@code MAXLEN ~ budget}, so an archive that cannot write (MongoDB down) costs Redis at most that
 * many entries per shard, and the oldest are dropped beyond it.
 */
@ApplicationScoped
public class ArchiveSettings {

    @ConfigProperty(name = PodSettings.MONGODB_URI)
    Optional<String> uri;

    @ConfigProperty(name = "herald.mongodb.database", defaultValue = "herald")
    String database;

    @ConfigProperty(name = "herald.archive.backlog-budget", defaultValue = "1000000")
    long backlogBudget;

    /** Entries read at a time, over all shards read; one MongoDB insert takes what one read brought. */
    @ConfigProperty(name = "herald.archive.batch-size", defaultValue = "1000")
    int batchSize;

    /** The longest wait between two attempts while MongoDB fails. */
    @ConfigProperty(name = "herald.archive.max-retry", defaultValue = "2s")
    Duration maxRetry;

    public boolean enabled() {
        return uri.filter(value -> !value.isBlank()).isPresent();
    }

    public String database() {
        return database;
    }

    /** Entries per shard an archive stream may hold before its oldest are dropped (MAXLEN ~). */
    public long backlogBudget() {
        return backlogBudget;
    }

    public int batchSize() {
        return batchSize;
    }

    public Duration maxRetry() {
        return maxRetry;
    }
}
