package io.herald.membership;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.streams.ClusterSettings;
import io.herald.streams.StreamsConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;

/**
 * This process as a member of its cluster: keeps its own Lease renewed on one scheduler thread and
 * watches the Leases of its peers. Outside Kubernetes the same code runs against whatever API
 * server the Kubernetes client is configured for (local mode starts one).
 */
@Startup
@ApplicationScoped
public class Membership {

    private static final Logger LOG = Logger.getLogger(Membership.class);

    @Inject
    KubernetesClient client;

    @Inject
    ClusterSettings cluster;

    @Inject
    Instance<ConnectionCount> connectionCount;

    @Inject
    Instance<LeaseAnnotations> reports;

    @Inject
    MembershipConfig config;

    @Inject
    StreamsConfig streams;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "herald-lease");
        thread.setDaemon(true);
        return thread;
    });
    private OwnLease own;
    private PeerView peers;

    @PostConstruct
    void start() {
        String namespace = Optional.ofNullable(client.getNamespace()).orElse("default");
        Duration duration = config.lease().duration();
        LeaseSettings settings = new LeaseSettings(namespace, cluster.clusterName(),
                Role.valueOf(streams.node().role().toUpperCase(Locale.ROOT)), cluster.podName(), cluster.nodeId(), duration,
                config.pod().uid().filter(uid -> !uid.isBlank()));
        own = new OwnLease(client, settings, Ticker.SYSTEM,
                connectionCount.isResolvable() ? () -> connectionCount.get().connections() : null, this::reports);
        own.renew();
        peers = new PeerView(client, namespace, cluster.clusterName(), Ticker.SYSTEM);
        peers.start();
        long interval = settings.renewInterval().toMillis();
        // At a fixed rate: the holder's deadline counts from when a renewal started, so a slow
        // renewal must not push the next one later.
        scheduler.scheduleAtFixedRate(own::renew, interval, interval, TimeUnit.MILLISECONDS);
        LOG.infof("%s %s keeps Lease %s/%s (duration %ss)", settings.role().label(), settings.holder(), namespace,
                settings.name(), duration.toSeconds());
    }

    /** Runs after the other shutdown observers, so members stop acting before they leave. */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER + 1000) ShutdownEvent event) {
        scheduler.shutdownNow();
        own.release();
        peers.close();
    }

    /** A report that fails is left out: it must never cost this member its Lease. */
    private Map<String, String> reports() {
        Map<String, String> annotations = new HashMap<>();
        reports.forEach(report -> {
            try {
                annotations.putAll(report.leaseAnnotations());
            } catch (RuntimeException e) {
                LOG.warnf("Left a report out of the Lease: %s", e.toString());
            }
        });
        return annotations;
    }

    public OwnLease own() {
        return own;
    }

    public PeerView peers() {
        return peers;
    }
}
