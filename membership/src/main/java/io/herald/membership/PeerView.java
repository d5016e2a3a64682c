package io.herald.membership;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.herald.contract.LeaseNames;

/**
 * The members of one cluster as this process sees them, from an informer on their Leases.
 *
 * <p>Liveness is judged by this process's own clock, as client-go does: a member is alive while
 * its Lease has a holder and was seen to change within the Lease's duration. The holder's
 * renewTime is never compared with local time, so clock offsets between pods do not matter.
 * A Lease first seen counts as just changed.
 */
public final class PeerView implements ResourceEventHandler<Lease>, AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final String clusterName;
    private final Ticker ticker;
    private final Map<String, Observed> members = new ConcurrentHashMap<>();
    private SharedIndexInformer<Lease> informer;

    /** What was last seen of a member's Lease, and when (by the local ticker) it last changed. */
    private record Observed(Role role, String holder, long durationNanos, String resourceVersion, long changedAt,
            int connections) {
    }

    public PeerView(KubernetesClient client, String namespace, String clusterName, Ticker ticker) {
        this.client = client;
        this.namespace = namespace;
        this.clusterName = clusterName;
        this.ticker = ticker;
    }

    /** Starts watching; returns once the initial list is in. */
    public void start() {
        informer = client.leases().inNamespace(namespace).withLabel(LeaseNames.CLUSTER_LABEL, clusterName).inform(this, 0);
    }

    public boolean hasSynced() {
        return informer != null && informer.hasSynced();
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }

    /** Names of the members of the role that are alive now. */
    public Set<String> alive(Role role) {
        long now = ticker.nanoTime();
        Set<String> alive = new TreeSet<>();
        members.forEach((name, observed) -> {
            if (observed.role == role && isAlive(observed, now)) {
                alive.add(name);
            }
        });
        return alive;
    }

    /** Names of members of the role that were seen and are gone: expired, released or deleted. */
    public Set<String> gone(Role role) {
        long now = ticker.nanoTime();
        Set<String> gone = new TreeSet<>();
        members.forEach((name, observed) -> {
            if (observed.role == role && !isAlive(observed, now)) {
                gone.add(name);
            }
        });
        return gone;
    }

    public boolean isAlive(String name) {
        Observed observed = members.get(name);
        return observed != null && isAlive(observed, ticker.nanoTime());
    }

    /** The connection count a gateway last wrote into its Lease. */
    public Optional<Integer> connections(String name) {
        return Optional.ofNullable(members.get(name)).map(Observed::connections);
    }

    @Override
    public void onAdd(Lease lease) {
        observe(lease);
    }

    @Override
    public void onUpdate(Lease previous, Lease lease) {
        observe(lease);
    }

    @Override
    public void onDelete(Lease lease, boolean finalStateUnknown) {
        // Kept as a holderless record: a deleted Lease means the member is gone, and routers
        // still have to clean up after it.
        members.computeIfPresent(lease.getMetadata().getName(),
                (name, observed) -> new Observed(observed.role, null, observed.durationNanos, null, ticker.nanoTime(), 0));
    }

    private void observe(Lease lease) {
        Role role = Role.fromLabel(lease.getMetadata().getLabels() == null ? null
                : lease.getMetadata().getLabels().get(LeaseNames.ROLE_LABEL));
        if (role == null || lease.getSpec() == null) {
            return;
        }
        Integer seconds = lease.getSpec().getLeaseDurationSeconds();
        long durationNanos = (seconds == null ? 15 : seconds) * 1_000_000_000L;
        String version = lease.getMetadata().getResourceVersion();
        members.compute(lease.getMetadata().getName(), (name, previous) -> {
            long changedAt = previous != null && version != null && version.equals(previous.resourceVersion)
                    ? previous.changedAt
                    : ticker.nanoTime();
            return new Observed(role, lease.getSpec().getHolderIdentity(), durationNanos, version, changedAt,
                    connectionsOf(lease));
        });
    }

    private static int connectionsOf(Lease lease) {
        Map<String, String> annotations = lease.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(LeaseNames.CONNECTIONS_ANNOTATION);
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isAlive(Observed observed, long now) {
        return observed.holder != null && !observed.holder.isEmpty() && now - observed.changedAt < observed.durationNanos;
    }
}
