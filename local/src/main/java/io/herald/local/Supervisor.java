package io.herald.local;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Keeps a local cluster running as a Deployment would: a gateway or router that exits, however it
 * exits, is started again under the same node id and port after a back-off (1 s, doubling up to
 * 10 s, back to 1 s once a process has run for 30 s), while the others go on serving. One thread
 * restarts one node at a time; a crash loop therefore costs little.
 */
final class Supervisor {

    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(10);
    static final Duration STABLE_AFTER = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 200;

    private final LocalCluster cluster;
    private final Consumer<String> report;
    private final Map<String, Duration> lastDelay = new HashMap<>();
    private final Thread thread;

    private Supervisor(LocalCluster cluster, Consumer<String> report) {
        this.cluster = cluster;
        this.report = report;
        this.thread = new Thread(this::watch, "herald-supervisor");
        thread.setDaemon(true);
    }

    static Supervisor start(LocalCluster cluster, Consumer<String> report) {
        Supervisor supervisor = new Supervisor(cluster, report);
        supervisor.thread.start();
        return supervisor;
    }

    /** Stops watching, and waits for a restart in progress to be recorded, so the cluster can stop what it started. */
    void stop() {
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The wait before restarting a node that ran for {@code ranFor}, given the wait before its previous restart. */
    static Duration delay(Optional<Duration> previous, Duration ranFor) {
        if (previous.isEmpty() || ranFor.compareTo(STABLE_AFTER) >= 0) {
            return FIRST_DELAY;
        }
        Duration doubled = previous.get().multipliedBy(2);
        return doubled.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : doubled;
    }

    private void watch() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (NodeProcess node : cluster.nodes()) {
                    if (!node.isAlive()) {
                        restart(node);
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException stopping) {
            // the cluster is closing
        }
    }

    private void restart(NodeProcess dead) throws InterruptedException {
        Duration delay = delay(Optional.ofNullable(lastDelay.get(dead.nodeId())), dead.age());
        lastDelay.put(dead.nodeId(), delay);
        Thread.sleep(delay.toMillis());
        try {
            cluster.replace(dead).ifPresent(fresh -> report.accept("herald: " + dead.nodeId() + " exited with code "
                    + dead.process().exitValue() + "; restarted it after " + delay.toSeconds() + " s as PID " + fresh.pid()));
        } catch (RuntimeException e) {
            report.accept("herald: " + dead.nodeId() + " exited with code " + dead.process().exitValue()
                    + " and could not be restarted: " + e.getMessage());
        }
    }
}
