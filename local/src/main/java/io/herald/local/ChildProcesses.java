package io.herald.local;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every long-lived process local mode starts: Redis servers, routers, gateways. The launcher's
 * shutdown hook stops what its cluster knows gracefully, then {@link #stopAll} stops whatever is
 * left: a Redis (or a Redis Cluster's nodes) started before the cluster object existed, for one.
 * Once that has run, a process started by a start still under way is stopped at once, so a
 * launcher stopped at any moment of its start leaves nothing running that holds its ports.
 */
final class ChildProcesses {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static boolean stopped;

    private ChildProcesses() {
    }

    /** Tracks a process just started; stops it and fails when this JVM is already stopping them all. */
    static Process adopt(Process process) {
        synchronized (ChildProcesses.class) {
            if (!stopped) {
                RUNNING.add(process);
                process.onExit().thenRun(() -> RUNNING.remove(process));
                return process;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("local mode is stopping");
    }

    /** Stops every tracked process still running (SIGTERM, then SIGKILL after {@code grace}); later ones are refused. */
    static void stopAll(Duration grace) {
        List<Process> left;
        synchronized (ChildProcesses.class) {
            stopped = true;
            left = List.copyOf(RUNNING);
        }
        left.forEach(Process::destroy);
        Instant deadline = Instant.now().plus(grace);
        for (Process process : left) {
            try {
                if (!process.waitFor(Math.max(0, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
