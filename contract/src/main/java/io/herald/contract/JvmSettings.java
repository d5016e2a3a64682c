package io.herald.contract;

import java.util.List;

/**
 * The JVM settings gateways and routers run with: on the launcher's command line in local mode,
 * and in the pods the operator makes through the image's start script, so that what is measured
 * is what ships (docs/performance.md, "JVM settings").
 *
 * <p>The serial collector with a small, fixed young generation, and a heap kept within 10-20 % of
 * its live data. A gateway's heap is mostly long-lived connection state and short-lived frames;
 * the default G1 committed about twice its live data and cost more CPU per delivery. In one run of
 * the shared harness each (15,000 idle connections; 1,000 connections receiving 400 publications
 * a second) the resident size grew 7.6 KB per connection against 10-12 KB, and a delivery cost
 * 22.1 µs of server CPU against 24.6 µs, with a lower p99. The serial collector's full
 * collections stop the process for a time that grows with the live heap: a pod sized for one or
 * two cores and a few hundred megabytes of heap, which the JVM's own ergonomics would give the
 * serial collector anyway, keeps them short.
 */
public final class JvmSettings {

    /** The options, in the order the launcher passes them. */
    public static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-Xmn16m", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=20");

    /**
     * The variable of the image's start script ({@code run-java.sh} of the UBI OpenJDK runtime)
     * that replaces its choice of collector ({@code -XX:+UseParallelGC}); the script adds its own
     * heap free ratios, 10 and 20 % by default, before it, and the later options win.
     */
    public static final String IMAGE_COLLECTOR_VARIABLE = "GC_CONTAINER_OPTIONS";

    private JvmSettings() {
    }

    /** The options as one value for {@link #IMAGE_COLLECTOR_VARIABLE}. */
    public static String imageCollectorValue() {
        return String.join(" ", OPTIONS);
    }
}
