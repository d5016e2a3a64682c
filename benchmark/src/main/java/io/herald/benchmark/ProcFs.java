package io.herald.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What Linux tells about a process in /proc: resident memory, CPU time, file descriptors. The
 * benchmark reads the gateway's figures from outside, the way an operator would.
 */
final class ProcFs {

    /** USER_HZ: /proc reports CPU time in these ticks; 100 on every mainstream Linux build. */
    static final long TICKS_PER_SECOND = 100;

    private ProcFs() {
    }

    /** VmRSS of the process, in bytes. */
    static long residentBytes(long pid) {
        return statusField(pid, "VmRSS:") * 1024;
    }

    /** A "Name: 123 kB" line of /proc/pid/status, as the number. */
    static long statusField(long pid, String field) {
        for (String line : lines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("No " + field + " in /proc/" + pid + "/status");
    }

    /** User plus system CPU time of a process (or of one thread, given its task path), in ticks. */
    static long cpuTicks(Path statFile) {
        long[] userAndSystem = userAndSystemTicks(statFile);
        return userAndSystem[0] + userAndSystem[1];
    }

    /** User and system (kernel) CPU time, in ticks. */
    static long[] userAndSystemTicks(Path statFile) {
        String stat = read(statFile);
        // The command name in parentheses may contain spaces; the fields after it are fixed.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after "pid (comm)".
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }

    static long[] userAndSystemTicks(long pid) {
        return userAndSystemTicks(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** Busy and total ticks of all CPUs together, from the first line of /proc/stat. */
    static long[] machineTicks() {
        String[] fields = lines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < fields.length && i <= 8; i++) {
            total += Long.parseLong(fields[i]);
        }
        long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
        return new long[] {total - idle, total};
    }

    static int openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The soft limit on open files (RLIMIT_NOFILE) of a process. */
    static long openFilesLimit(long pid) {
        for (String line : lines(Path.of("/proc", Long.toString(pid), "limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return "unlimited".equals(soft) ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        throw new IllegalStateException("No open-files limit in /proc/" + pid + "/limits");
    }

    /** The threads of a process, each as its name and stat file. */
    static List<ThreadStat> threads(long pid) {
        List<ThreadStat> threads = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    threads.add(new ThreadStat(read(task.resolve("comm")).trim(), cpuTicks(task.resolve("stat")),
                            task.getFileName().toString()));
                } catch (UncheckedIOException ended) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return threads;
    }

    record ThreadStat(String name, long ticks, String tid) {
    }

    /** CPU ticks of every process on the machine by pid, with its name; processes that end meanwhile are skipped. */
    static Map<Long, ThreadStat> allProcesses() {
        Map<Long, ThreadStat> processes = new HashMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    processes.put(Long.parseLong(name),
                            new ThreadStat(describe(entry), cpuTicks(entry.resolve("stat")), name));
                } catch (UncheckedIOException | IndexOutOfBoundsException ended) {
                    // ended while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return processes;
    }

    /**
     * A short name for a process: its command, and for a JVM what it runs (the jar after -jar or
     * the main class), so that "java" becomes "java surefirebooter.jar" or "java ...Launcher".
     */
    private static String describe(Path process) {
        String command = read(process.resolve("comm")).trim();
        String[] words = read(process.resolve("cmdline")).split("\0");
        if (!command.equals("java")) {
            return command;
        }
        for (int i = 1; i < words.length; i++) {
            if (words[i].equals("-jar") && i + 1 < words.length) {
                return "java -jar " + Path.of(words[i + 1]).getFileName();
            }
            if (words[i].equals("-cp") || words[i].equals("-classpath")) {
                i++;
            } else if (!words[i].startsWith("-")) {
                String main = words[i];
                return "java " + main.substring(main.lastIndexOf('.') + 1);
            }
        }
        return command;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
