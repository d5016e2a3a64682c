package io.herald.benchmark;

import io.herald.local.NodeProcess;

/**
 * Every connection is a file descriptor in the gateway and another in the load generator. Running
 * out of them shows up as puzzling connection failures half way through, so the room is checked
 * first and the limit named.
 */
final class FileLimits {

    /** Descriptors a JVM keeps for jars, epoll, pipes and Redis connections besides the sockets. */
    private static final int SPARE = 64;

    private FileLimits() {
    }

    static void requireRoom(NodeProcess gateway, int connections) {
        check(gateway.nodeId(), gateway.process().pid(), connections);
        check("the load generator", ProcessHandle.current().pid(), connections);
    }

    private static void check(String who, long pid, int connections) {
        long limit = ProcFs.openFilesLimit(pid);
        long room = limit - ProcFs.openFiles(pid) - SPARE;
        if (room < connections) {
            throw new IllegalStateException(String.format(
                    "%s may open %,d files (ulimit -n) and has %,d open: %,d connections do not fit. "
                            + "Raise the limit (ulimit -n, up to the hard limit ulimit -Hn) or ask for at most %,d connections.",
                    who, limit, ProcFs.openFiles(pid), connections, Math.max(0, room)));
        }
    }
}
