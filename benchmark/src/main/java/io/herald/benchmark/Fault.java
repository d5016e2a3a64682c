package io.herald.benchmark;

/**
 * The faults the harness injects into a running cluster, each with real processes and signals.
 * Only {@link #REDIS_RESTART_EMPTY} may lose acknowledged publications: Redis forgot them.
 */
public enum Fault {

    ROUTER_KILL("router-kill", "kill -9 a router (restarted under its node id once measured)"),
    GATEWAY_KILL("gateway-kill", "kill -9 a gateway; its clients reconnect to the other one"),
    ROUTER_STOP("router-stop", "SIGSTOP a router for its Lease + 5 s, then SIGCONT"),
    REDIS_RESTART_AOF("redis-restart-aof", "kill -9 Redis, restart it on its port with its append-only file (fsync always)"),
    REDIS_PAUSE("redis-pause", "CLIENT PAUSE 5000 ALL on Redis"),
    API_UNREACHABLE("api-unreachable", "Kubernetes API server stopped for 20 s, then back on its port with its objects"),
    GATEWAY_RESTART("gateway-restart", "kill -9 a gateway and start it again at once under the same node id"),
    REDIS_RESTART_EMPTY("redis-restart-empty", "kill -9 Redis, restart it on its port without persistence: empty");

    private final String label;
    private final String description;

    Fault(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** Whether acknowledged publications may be lost: only when Redis itself lost them, and then only if signalled. */
    public boolean lossAllowed() {
        return this == REDIS_RESTART_EMPTY;
    }

    public static Fault ofLabel(String label) {
        for (Fault fault : values()) {
            if (fault.label.equals(label)) {
                return fault;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + label + "'");
    }
}
