package io.herald.gateway.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.herald.gateway.GatewayConfig;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.Vertx;

/**
 * A graceful stop. Asked to stop (SIGTERM), the gateway turns unready and refuses new
 * connections, then closes the ones it has with 4200 in random order, evenly spread over
 * {@code herald.drain.period}: their clients reconnect to the other gateways a few at a time
 * instead of all at once. The closes take the first nine tenths of the period, leaving the rest
 * for the clients' closing handshakes. One timer tick closes whichever connections are due; no
 * timer per connection. An HTTP session counts as gone once its client has fetched the close.
 *
 * <p>Quarkus fires {@link ShutdownDelayInitiatedEvent} ({@code quarkus.shutdown.delay-enabled})
 * before its HTTP server refuses requests and before {@code ShutdownEvent}, and waits for its
 * observers. Blocking there keeps the sockets served during the drain, and holds back the release
 * of the Lease (on {@code ShutdownEvent}) until the last connection is gone or the period is over.
 */
@ApplicationScoped
public class Drain {

    private static final Logger LOG = Logger.getLogger(Drain.class);
    private static final long TICK_MILLIS = 100;

    @Inject
    Connections connections;

    @Inject
    XhrTransports xhr;

    @Inject
    Vertx vertx;

    @Inject
    GatewayConfig config;

    private volatile boolean draining;

    public boolean isDraining() {
        return draining;
    }

    void drain(@Observes ShutdownDelayInitiatedEvent event) throws InterruptedException {
        draining = true;
        Schedule schedule = new Schedule();
        LOG.infof("Stopping: closing %d connections with 4200 over %s", schedule.order.size(), config.drain().period());
        CountDownLatch drained = new CountDownLatch(1);
        long timer = vertx.setPeriodic(0, TICK_MILLIS, id -> {
            if (schedule.closeDue()) {
                drained.countDown();
            }
        });
        try {
            if (!drained.await(config.drain().period().toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warnf("%d connections still open at the end of the drain period; stopping anyway", connections.count());
            }
        } finally {
            vertx.cancelTimer(timer);
        }
    }

    /** The connections open when the drain began, in the random order they are closed in. */
    private final class Schedule {

        private final List<PusherConnection> order = new ArrayList<>();
        private final long start = System.nanoTime();
        private int closed;

        Schedule() {
            connections.all().forEach(order::add);
            Collections.shuffle(order);
        }

        /**
         * Closes the connections due by now, connection i of n at i/n of the closing window; true
         * once all are gone and every HTTP session's client has fetched its 4200: a polling client
         * learns of the close only with its next request, which a stopped gateway would not answer.
         */
        boolean closeDue() {
            long elapsed = System.nanoTime() - start;
            long window = config.drain().period().toNanos() / 10 * 9;
            long due = elapsed >= window ? order.size() : order.size() * elapsed / window + 1;
            for (; closed < Math.min(due, order.size()); closed++) {
                order.get(closed).close(CloseCodes.RECONNECT, "Gateway shutting down; reconnect");
            }
            return closed == order.size() && connections.count() == 0 && xhr.untoldCloses() == 0;
        }
    }
}
