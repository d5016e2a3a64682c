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
 *
 * <p>Members are named by their Lease's holder identity (the member id: pod name and process
 * incarnation), not by the Lease's name. When a process restarts in its pod, its successor takes
 * the Lease over under a new holder, and the predecessor counts as gone from that moment: peers
 * clean up after it instead of mistaking the successor for it.
 */
public final class PeerView implements ResourceEventHandler<Lease>, AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final String clusterName;
    private final Ticker ticker;
    /** By Lease name. */
    private final Map<String, Observed> members = new ConcurrentHashMap<>();
    /** Holders replaced by a successor in their Lease, by member id: gone, though their Lease lives on. */
    private final Map<String, Departed> departed = new ConcurrentHashMap<>();
    private SharedIndexInformer<Lease> informer;

    /**
     * What was last seen of a Lease, and when (by the local ticker) it last changed. {@code holder}
     * is null once released; {@code lastHolder} still names who held it, for those cleaning up.
     */
    private record Observed(Role role, String holder, String lastHolder, long durationNanos, String resourceVersion,
            long changedAt, int connections) {
    }

    private record Departed(Role role, long at) {
    }

    /** How long a replaced holder is still reported gone: long enough for every peer to clean up after it. */
    private static final long DEPARTED_MEMORY_NANOS = 3_600_000_000_000L;

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

    /** Member ids of the role that are alive now. */
    public Set<String> alive(Role role) {
        long now = ticker.nanoTime();
        Set<String> alive = new TreeSet<>();
        members.forEach((name, observed) -> {
            if (observed.role == role && isAlive(observed, now)) {
                alive.add(observed.holder);
            }
        });
        return alive;
    }

    /**
     * Member ids of the role that were seen and are gone: their Lease expired, was released or
     * deleted, or was taken over by a successor process.
     */
    public Set<String> gone(Role role) {
        long now = ticker.nanoTime();
        Set<String> gone = new TreeSet<>();
        members.forEach((name, observed) -> {
            if (observed.role == role && !isAlive(observed, now) && observed.lastHolder != null) {
                gone.add(observed.lastHolder);
            }
        });
        departed.forEach((member, departure) -> {
            if (departure.role == role) {
                gone.add(member);
            }
        });
        return gone;
    }

    /** Whether the member (by member id) holds a Lease that is alive now. */
    public boolean isAlive(String member) {
        long now = ticker.nanoTime();
        return members.values().stream().anyMatch(observed -> member.equals(observed.holder) && isAlive(observed, now));
    }

    /** The connection count a gateway last wrote into its Lease (by Lease name). */
    public Optional<Integer> connections(String leaseName) {
        return Optional.ofNullable(members.get(leaseName)).map(Observed::connections);
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
        members.computeIfPresent(lease.getMetadata().getName(), (name, observed) -> new Observed(observed.role, null,
                observed.lastHolder, observed.durationNanos, null, ticker.nanoTime(), 0));
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
        String holder = emptyToNull(lease.getSpec().getHolderIdentity());
        long now = ticker.nanoTime();
        departed.values().removeIf(departure -> now - departure.at > DEPARTED_MEMORY_NANOS);
        members.compute(lease.getMetadata().getName(), (name, previous) -> {
            if (previous != null && previous.lastHolder != null && holder != null && !holder.equals(previous.lastHolder)) {
                departed.put(previous.lastHolder, new Departed(previous.role, now));
            }
            long changedAt = previous != null && version != null && version.equals(previous.resourceVersion)
                    ? previous.changedAt
                    : now;
            String lastHolder = holder != null ? holder : previous == null ? null : previous.lastHolder;
            return new Observed(role, holder, lastHolder, durationNanos, version, changedAt, connectionsOf(lease));
        });
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
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
        return observed.holder != null && now - observed.changedAt < observed.durationNanos;
    }
}
