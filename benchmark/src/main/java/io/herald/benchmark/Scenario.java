package io.herald.benchmark;

import java.io.PrintStream;

/** One kind of measurement. Reads its options when constructed, so unknown options fail before anything starts. */
interface Scenario {

    /** How many gateways the cluster needs. */
    default int gateways() {
        return 1;
    }

    /** The options as the scenario understood them, defaults included, for the report. */
    Table parameters();

    /** Runs against a started cluster and prints the results; the caller stops everything afterwards. */
    void run(BenchmarkCluster cluster, LoadClient client, PrintStream out) throws Exception;
}
