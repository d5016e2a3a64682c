package io.herald.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks inside another JVM (the gateway) through {@code jcmd} from the JDK running the benchmark:
 * heap, live objects, GC pauses. Optional diagnostics: when jcmd is missing or fails, the report
 * just leaves them out.
 */
final class Jcmd {

    private static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");
    private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE);

    private final long pid;
    private final Optional<Path> jcmd;

    Jcmd(long pid) {
        this.pid = pid;
        this.jcmd = ProcessHandle.current().info().command()
                .map(java -> Path.of(java).resolveSibling("jcmd"))
                .filter(Files::isExecutable);
    }

    boolean available() {
        return jcmd.isPresent();
    }

    /** Asks for a full collection, so that the used heap afterwards is the live data. */
    void collect() {
        run("GC.run");
    }

    /**
     * Committed and used heap in bytes, or empty: G1 reports one line, the serial and parallel
     * collectors one per generation, which are added up.
     */
    Optional<long[]> committedAndUsed() {
        return run("GC.heap_info").flatMap(Jcmd::committedAndUsed);
    }

    static Optional<long[]> committedAndUsed(String heapInfo) {
        Matcher matcher = HEAP.matcher(heapInfo);
        long[] heap = null;
        while (matcher.find()) {
            heap = heap == null ? new long[2] : heap;
            heap[0] += Long.parseLong(matcher.group(1)) * 1024;
            heap[1] += Long.parseLong(matcher.group(2)) * 1024;
        }
        return Optional.ofNullable(heap);
    }

    /**
     * Live objects by class: instances and bytes. {@code GC.class_histogram} collects first, so
     * garbage is not counted. Comparing two tells what the connections keep alive.
     */
    Optional<Map<String, long[]>> liveHistogram() {
        return run("GC.class_histogram").map(output -> {
            Map<String, long[]> classes = new HashMap<>();
            Matcher line = HISTOGRAM_LINE.matcher(output);
            while (line.find()) {
                classes.merge(line.group(3), new long[] {Long.parseLong(line.group(1)), Long.parseLong(line.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
            return classes;
        });
    }

    /**
     * Stop-the-world GC pauses so far: {count, total milliseconds}, from the JVM's performance
     * counters (what jstat reads). Empty when unavailable.
     */
    Optional<long[]> gcPauses() {
        return run("PerfCounter.print").flatMap(output -> {
            Map<String, String> counters = new HashMap<>();
            for (String line : output.split("\n")) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    counters.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
                }
            }
            try {
                double ticksPerMilli = Long.parseLong(counters.get("sun.os.hrt.frequency")) / 1000.0;
                long count = 0;
                long ticks = 0;
                // G1's collectors 0, 1 and 2 count young, full and concurrent-cycle (remark, cleanup)
                // pauses; all three stop the application.
                for (int collector = 0; collector <= 2; collector++) {
                    count += Long.parseLong(counters.getOrDefault("sun.gc.collector." + collector + ".invocations", "0"));
                    ticks += Long.parseLong(counters.getOrDefault("sun.gc.collector." + collector + ".time", "0"));
                }
                return Optional.of(new long[] {count, Math.round(ticks / ticksPerMilli)});
            } catch (RuntimeException unexpected) {
                return Optional.empty();
            }
        });
    }

    private Optional<String> run(String command) {
        if (jcmd.isEmpty()) {
            return Optional.empty();
        }
        Path output = null;
        try {
            // Output to a file, so that a hanging jcmd cannot block the read: the wait is bounded.
            output = Files.createTempFile("herald-jcmd", ".txt");
            Process process = new ProcessBuilder(jcmd.get().toString(), Long.toString(pid), command)
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(Files.readString(output, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}
