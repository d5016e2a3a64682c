package io.herald.membership;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.contract.LeaseNames;

/**
 * This process's own Lease: created or taken over on the first renewal, renewed with optimistic
 * locking on its resourceVersion, released (holder cleared) on clean shutdown so that peers react
 * at once instead of waiting a full duration. A process restarted in the same pod takes the Lease
 * over from its predecessor under a new holder identity, which tells peers the predecessor is gone.
 */
public final class OwnLease {

    private static final Logger LOG = Logger.getLogger(OwnLease.class);

    private final KubernetesClient client;
    private final LeaseSettings settings;
    private final Ticker ticker;
    private final IntSupplier connections;
    private final Supplier<Map<String, String>> reports;
    private Lease current;
    private volatile long lastRenewedAt;
    private volatile boolean renewedOnce;
    private final AtomicLong renewFailures = new AtomicLong();

    /** @param connections the open connections to publish in the Lease, or null for members without any */
    public OwnLease(KubernetesClient client, LeaseSettings settings, Ticker ticker, IntSupplier connections) {
        this(client, settings, ticker, connections, Map::of);
    }

    /** @param reports further annotations to write with every renewal (see {@link LeaseAnnotations}) */
    public OwnLease(KubernetesClient client, LeaseSettings settings, Ticker ticker, IntSupplier connections,
            Supplier<Map<String, String>> reports) {
        this.client = client;
        this.settings = settings;
        this.ticker = ticker;
        this.connections = connections;
        this.reports = reports;
    }

    /**
     * Makes one attempt to write the Lease with this process as holder.
     *
     * @return whether the write succeeded
     */
    public synchronized boolean renew() {
        // Taken before the request: the holder must count its deadline from the earliest moment
        // peers may have seen the renewal, never later.
        long attemptedAt = ticker.nanoTime();
        try {
            Lease existing = current != null ? current : leases().withName(settings.name()).get();
            Lease desired = desired(existing);
            current = existing == null ? leases().resource(desired).create() : leases().resource(desired).update();
            lastRenewedAt = attemptedAt;
            renewedOnce = true;
            return true;
        } catch (RuntimeException e) {
            // A conflict means someone else wrote it (or our copy is stale), anything else that the
            // API server is out of reach: either way, read it again next time. Never let a failure
            // escape: it would cancel the scheduled renewals for good.
            current = null;
            renewFailures.incrementAndGet();
            LOG.warnf("Could not renew Lease %s/%s: %s", settings.namespace(), settings.name(), e.getMessage());
            return false;
        }
    }

    /** Failed renewals since the process started, for the metrics of the pod that holds this Lease. */
    public long renewFailures() {
        return renewFailures.get();
    }

    /** Whether this process may still act as a member: it renewed within the renew deadline. */
    public boolean isHeld() {
        return renewedOnce && ticker.nanoTime() - lastRenewedAt < settings.renewDeadline().toNanos();
    }

    /** Clears the holder so peers see this member gone at once. Best effort: on failure the Lease just expires. */
    public synchronized void release() {
        renewedOnce = false;
        try {
            Lease existing = current != null ? current : leases().withName(settings.name()).get();
            if (existing == null || !settings.holder().equals(existing.getSpec().getHolderIdentity())) {
                return;
            }
            Lease released = new LeaseBuilder(existing).editSpec().withHolderIdentity(null).endSpec().build();
            leases().resource(released).update();
            current = null;
        } catch (RuntimeException e) {
            LOG.warnf("Could not release Lease %s/%s, peers will see it expire: %s", settings.namespace(), settings.name(),
                    e.getMessage());
        }
    }

    public LeaseSettings settings() {
        return settings;
    }

    private Lease desired(Lease existing) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        boolean alreadyMine = existing != null && settings.holder().equals(existing.getSpec().getHolderIdentity());
        Map<String, String> labels = new HashMap<>();
        labels.put(LeaseNames.CLUSTER_LABEL, settings.clusterName());
        labels.put(LeaseNames.ROLE_LABEL, settings.role().label());
        Map<String, String> annotations = new HashMap<>(reports.get());
        if (connections != null) {
            annotations.put(LeaseNames.CONNECTIONS_ANNOTATION, Integer.toString(connections.getAsInt()));
        }
        LeaseBuilder builder = existing == null ? new LeaseBuilder() : new LeaseBuilder(existing);
        builder.editOrNewMetadata()
                .withName(settings.name())
                .withNamespace(settings.namespace())
                .addToLabels(labels)
                .addToAnnotations(annotations)
                .endMetadata();
        settings.podUid().ifPresent(uid -> builder.editMetadata().withOwnerReferences(List.of(new OwnerReferenceBuilder()
                .withApiVersion("v1").withKind("Pod").withName(settings.name()).withUid(uid).build())).endMetadata());
        int transitions = existing == null || existing.getSpec() == null || existing.getSpec().getLeaseTransitions() == null
                ? 0 : existing.getSpec().getLeaseTransitions();
        return builder.editOrNewSpec()
                .withHolderIdentity(settings.holder())
                .withLeaseDurationSeconds((int) Math.max(1, Math.ceil(settings.duration().toMillis() / 1000.0)))
                .withAcquireTime(alreadyMine ? existing.getSpec().getAcquireTime() : now)
                .withRenewTime(now)
                .withLeaseTransitions(alreadyMine || existing == null ? transitions : transitions + 1)
                .endSpec()
                .build();
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Lease, io.fabric8.kubernetes.api.model.coordination.v1.LeaseList,
            io.fabric8.kubernetes.client.dsl.Resource<Lease>> leases() {
        return client.leases().inNamespace(Objects.requireNonNull(settings.namespace()));
    }
}
