package io.herald.benchmark;

import java.io.PrintStream;
import java.util.Map;

/** One kind of measurement. Reads its options when constructed, so unknown options fail before anything starts. */
interface Scenario {

    /** How many gateways the cluster needs. */
    default int gateways() {
        return 1;
    }

    /**
     * Settings the scenario needs on every gateway and router, as environment variables (such as
     * {@code HERALD_HISTORY_SIZE}); {@code --node-env} adds to them and wins.
     */
    default Map<String, String> nodeEnvironment() {
        return Map.of();
    }

    /** Whether the command starts the usual cluster for it; a scenario that needs another shape starts its own. */
    default boolean needsCluster() {
        return true;
    }

    /** The options as the scenario understood them, defaults included, for the report. */
    Table parameters();

    /**
     * Runs against a started cluster (null when {@link #needsCluster()} is false) and prints the
     * results; the caller stops everything afterwards.
     */
    void run(BenchmarkCluster cluster, LoadClient client, PrintStream out) throws Exception;
}
