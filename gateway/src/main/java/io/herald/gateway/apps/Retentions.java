package io.herald.gateway.apps;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.herald.gateway.apps.ChannelRules.HistoryRule;
import io.herald.streams.Publication;
import io.herald.streams.Retention;
import io.herald.streams.UserChannels;

/**
 * Decides what each publication's channel keeps, from its app's rules and the cluster's default
 * history (on for every channel: Centrifugo-style recovery needs it there before anyone asks).
 * Herald's internal user channels keep nothing: they carry commands, not events.
 */
@ApplicationScoped
public class Retentions {

    @ConfigProperty(name = "herald.history.size", defaultValue = "100")
    int defaultSize;

    @ConfigProperty(name = "herald.history.ttl-seconds", defaultValue = "120")
    int defaultTtlSeconds;

    public Publication applied(App app, Publication publication) {
        if (UserChannels.isUserChannel(publication.channel())) {
            return publication;
        }
        return publication.withRetention(forChannel(app, publication.channel()));
    }

    /** What the app's channel keeps of each event; for {@code #server-to-user-} channels the offline rule. */
    public Retention forChannel(App app, String channel) {
        return app.rules().retentionFor(channel, new HistoryRule("", defaultSize, defaultTtlSeconds));
    }
}
