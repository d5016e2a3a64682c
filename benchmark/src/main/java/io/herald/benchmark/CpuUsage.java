package io.herald.benchmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU used by each process of the run between two moments, in cores (1.0 = one core busy all the
 * time). This is the evidence for "who was the bottleneck": on a machine this small the load
 * generator, Redis, the router and the gateway all compete for the same cores.
 */
final class CpuUsage {

    private final Map<String, Long> pids;
    private final String threadsOf;
    private final Map<String, long[]> startTicks = new LinkedHashMap<>();
    private final Map<String, Long> startThreadTicks = new HashMap<>();
    private long[] startMachine;
    private Map<Long, ProcFs.ThreadStat> startOthers = Map.of();
    private long startNanos;

    /**
     * @param pids the processes to watch, by label
     * @param threadsOf the label of the process whose busiest threads are reported too
     */
    CpuUsage(Map<String, Long> pids, String threadsOf) {
        this.pids = new LinkedHashMap<>(pids);
        this.threadsOf = threadsOf;
    }

    void start() {
        startNanos = System.nanoTime();
        startMachine = ProcFs.machineTicks();
        startOthers = ProcFs.allProcesses();
        pids.forEach((label, pid) -> startTicks.put(label, ProcFs.userAndSystemTicks(pid)));
        for (ProcFs.ThreadStat thread : ProcFs.threads(pids.get(threadsOf))) {
            startThreadTicks.put(thread.tid(), thread.ticks());
        }
    }

    Result stop() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        Map<String, Double> kernelShare = new LinkedHashMap<>();
        pids.forEach((label, pid) -> {
            long[] now = ProcFs.userAndSystemTicks(pid);
            long user = now[0] - startTicks.get(label)[0];
            long system = now[1] - startTicks.get(label)[1];
            cores.put(label, (user + system) / (double) ProcFs.TICKS_PER_SECOND / seconds);
            kernelShare.put(label, user + system == 0 ? 0.0 : system / (double) (user + system));
        });
        long[] machine = ProcFs.machineTicks();
        double machineBusy = (machine[0] - startMachine[0]) / (double) Math.max(1, machine[1] - startMachine[1]);
        // Threads one by one, not summed by name: a single thread near 1.0 core is a bottleneck
        // that no number of cores would remove. /proc cuts names at 15 characters, hence the id.
        Map<String, Double> byThread = new HashMap<>();
        for (ProcFs.ThreadStat thread : ProcFs.threads(pids.get(threadsOf))) {
            long used = thread.ticks() - startThreadTicks.getOrDefault(thread.tid(), 0L);
            byThread.put(thread.name() + " #" + thread.tid(), used / (double) ProcFs.TICKS_PER_SECOND / seconds);
        }
        // Whoever else used the machine: on a shared machine, the explanation of a bad run.
        Map<String, Double> others = new HashMap<>();
        ProcFs.allProcesses().forEach((pid, process) -> {
            ProcFs.ThreadStat before = startOthers.get(pid);
            if (!pids.containsValue(pid) && !isOurs(pid)) {
                long used = process.ticks() - (before == null ? 0 : before.ticks());
                if (used > 0) {
                    others.put(process.name() + " #" + pid, used / (double) ProcFs.TICKS_PER_SECOND / seconds);
                }
            }
        });
        List<Map.Entry<String, Double>> otherBusiest = new ArrayList<>(others.entrySet());
        otherBusiest.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        List<Map.Entry<String, Double>> busiest = new ArrayList<>(byThread.entrySet());
        busiest.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        return new Result(cores, kernelShare, machineBusy * Runtime.getRuntime().availableProcessors(), threadsOf,
                List.copyOf(busiest.subList(0, Math.min(8, busiest.size()))),
                List.copyOf(otherBusiest.subList(0, Math.min(3, otherBusiest.size()))));
    }

    /** Processes started by a watched one (a Redis started by the launcher is watched itself). */
    private boolean isOurs(long pid) {
        return ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(parent -> pids.containsValue(parent.pid())).orElse(false);
    }

    /**
     * @param cores cores used by each watched process
     * @param kernelShare the part of it spent in the kernel (system time): on loopback, sending
     *     also runs the receiving side's TCP processing, which is billed to the sender
     * @param machineCores cores busy on the whole machine, whoever used them
     * @param busiestThreads the busiest threads of the process named by {@code threadsOf}
     * @param busiestOthers the busiest processes that are not part of the run
     */
    record Result(Map<String, Double> cores, Map<String, Double> kernelShare, double machineCores, String threadsOf,
            List<Map.Entry<String, Double>> busiestThreads, List<Map.Entry<String, Double>> busiestOthers) {

        double of(String label) {
            return cores.getOrDefault(label, 0.0);
        }

        /** Cores used by processes that were not part of the run: on a shared machine, how busy it was besides. */
        double others() {
            double ours = cores.values().stream().mapToDouble(Double::doubleValue).sum();
            return Math.max(0, machineCores - ours);
        }
    }
}
