package io.herald.gateway.apps;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.herald.gateway.GatewayConfig;
import io.herald.gateway.apps.ChannelRules.HistoryRule;
import io.herald.streams.Publication;
import io.herald.streams.Retention;
import io.herald.streams.UserChannels;

/**
 * Decides what each publication's channel keeps, from its app's rules and the cluster's default
 * history (on for every channel: Centrifugo-style recovery needs it there before anyone asks).
 * Herald's internal user channels keep nothing: they carry commands, not events. Without a
 * MongoDB ({@code herald.mongodb.uri}) nothing is archived: no router would drain the archive
 * streams, which would only fill Redis up to their budget.
 */
@ApplicationScoped
public class Retentions {

    @Inject
    GatewayConfig config;

    private static final Logger LOG = Logger.getLogger(Retentions.class);
    private final AtomicBoolean warned = new AtomicBoolean();

    public Publication applied(App app, Publication publication) {
        if (UserChannels.isUserChannel(publication.channel())) {
            return publication;
        }
        return publication.withRetention(forChannel(app, publication.channel()));
    }

    /**
     * What the app's channel keeps of each event; for {@code #server-to-user-} channels the
     * offline rule. Without a MongoDB nothing would drain the archive queue, so nothing is archived.
     */
    public Retention forChannel(App app, String channel) {
        Retention kept = app.rules().retentionFor(channel, new HistoryRule("", config.history().size(), config.history().ttlSeconds()));
        if (kept.archives() && !config.mongodb().configured()) {
            if (warned.compareAndSet(false, true)) {
                LOG.warnf("App %s has archive rules, but no MongoDB is configured (herald.mongodb.uri, HERALD_MONGODB_URI): "
                        + "its publications are not archived", app.id());
            }
            kept = new Retention(kept.historySize(), kept.historyTtlSeconds(), 0);
        }
        return kept;
    }
}
