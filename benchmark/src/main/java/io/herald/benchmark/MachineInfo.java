package io.herald.benchmark;

import java.nio.file.Path;

/**
 * The machine a run was taken on, printed with every report: figures from a 2-core VM mean
 * little without it. The load average shows whether something else was busy at the start.
 */
final class MachineInfo {

    private MachineInfo() {
    }

    static Table describe(Path home) {
        return new Table("machine", "")
                .row("CPU", firstValue("/proc/cpuinfo", "model name"))
                .row("cores (nproc)", Integer.toString(Runtime.getRuntime().availableProcessors()))
                .row("memory", firstValue("/proc/meminfo", "MemTotal"))
                .row("load average at start", ProcFs.read(Path.of("/proc/loadavg")).trim())
                .row("Java", System.getProperty("java.vm.name") + " " + Runtime.version())
                .row("Herald commit", commit(home))
                .row("gateway built", built(home.resolve("gateway/target/quarkus-app/quarkus-run.jar")));
    }

    /** The commit checked out, and whether the working tree differs from it: what was measured. */
    private static String commit(Path home) {
        try {
            Process git = new ProcessBuilder("git", "-C", home.toString(), "describe", "--always", "--dirty")
                    .redirectErrorStream(true).start();
            if (!git.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return "?";
            }
            String described = new String(git.getInputStream().readAllBytes()).trim();
            return git.exitValue() == 0 ? described + (described.endsWith("-dirty") ? " (uncommitted changes)" : "") : "?";
        } catch (java.io.IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static String built(Path jar) {
        try {
            return java.nio.file.Files.getLastModifiedTime(jar).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static String firstValue(String file, String key) {
        try {
            for (String line : ProcFs.read(Path.of(file)).split("\n")) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (RuntimeException unreadable) {
            // not Linux, or an unusual /proc
        }
        return "?";
    }
}
