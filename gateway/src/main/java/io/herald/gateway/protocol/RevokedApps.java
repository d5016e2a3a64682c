package io.herald.gateway.protocol;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.herald.gateway.apps.Apps;

/**
 * When an app is withdrawn, or its key or secret changes, the credentials its connections were
 * admitted with no longer hold: they are closed with 4001, and their clients do not reconnect.
 */
@ApplicationScoped
class RevokedApps {

    private static final Logger LOG = Logger.getLogger(RevokedApps.class);

    @Inject
    Connections connections;

    void closeConnectionsOfRevokedApps(@Observes Apps apps) {
        int closed = 0;
        for (PusherConnection connection : connections.all()) {
            if (!apps.stillAdmits(connection.app())) {
                connection.close(CloseCodes.UNKNOWN_APP, "Application does not exist");
                closed++;
            }
        }
        if (closed > 0) {
            LOG.infof("Closed %d connections of apps that were withdrawn or given new credentials", closed);
        }
    }
}
