package io.herald.gateway.protocol;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.herald.membership.Membership;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * A gateway whose Lease lapsed is, to the routers, dead: they drop its interest and inbox, and
 * its subscribers would silently stop receiving. So once it cannot renew, it closes its
 * connections with 4200 (clients reconnect at once, to a gateway that can serve them) and refuses
 * new ones until it holds its Lease again. One timer per process.
 */
@ApplicationScoped
public class MembershipGuard {

    private static final Logger LOG = Logger.getLogger(MembershipGuard.class);

    @Inject
    Membership membership;

    @Inject
    Connections connections;

    @Inject
    Vertx vertx;

    private long timer;

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(1000, id -> {
            if (!canServe() && connections.count() > 0) {
                LOG.warnf("This gateway cannot renew its Lease; closing %d connections with 4200", connections.count());
                connections.closeAll(CloseCodes.RECONNECT, "Gateway lost its cluster membership; reconnect");
            }
        });
    }

    /** A timer left running would revive the beans it uses after they were destroyed. */
    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    public boolean canServe() {
        return membership.own().isHeld();
    }
}
