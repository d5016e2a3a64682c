package io.herald.benchmark;

import java.io.PrintStream;
import java.util.Map;

/** Report sections that several scenarios print. */
final class Reports {

    private Reports() {
    }

    /** Who used the CPU during the measurement, and which threads of the gateway. */
    static void printCpu(PrintStream out, CpuUsage.Result used) {
        Table processes = new Table("process", "CPU (cores)", "of which kernel");
        used.cores().forEach((label, cores) -> processes.row(label, Table.decimal(cores, 2),
                Table.count(100 * used.kernelShare().get(label)) + " %"));
        processes.row("everything else on the machine", Table.decimal(used.others(), 2), "");
        for (Map.Entry<String, Double> other : used.busiestOthers()) {
            if (other.getValue() >= 0.01) {
                processes.row("  of which " + other.getKey(), Table.decimal(other.getValue(), 2), "");
            }
        }
        processes.row("whole machine", Table.decimal(used.machineCores(), 2) + " of " + Runtime.getRuntime().availableProcessors());
        out.print(processes);
        out.println();
        Table threads = new Table("busiest threads of " + used.threadsOf(), "CPU (cores)");
        for (Map.Entry<String, Double> thread : used.busiestThreads()) {
            threads.row(thread.getKey(), Table.decimal(thread.getValue(), 2));
        }
        out.print(threads);
        out.println();
    }

    static String yes(boolean met) {
        return met ? "yes" : "NO";
    }
}
