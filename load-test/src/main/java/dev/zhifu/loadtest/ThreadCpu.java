package dev.zhifu.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A process's CPU time split by what its threads do, from {@code /proc/<pid>/task/<tid>/stat}: the JIT
 * compilers and the garbage collector run beside the request threads on the same cores, and a short phase
 * after start-up can spend a third of its CPU compiling. Knowing how much tells a steady-state cost from a
 * warm-up one.
 */
final class ThreadCpu {

    /** CPU (ms) over an interval: the whole process, and of it the compiler threads and the GC threads. */
    record Split(long totalMillis, long jitMillis, long gcMillis) {
        static final Split UNKNOWN = new Split(-1, -1, -1);
    }

    enum Kind {
        JIT,
        GC,
        OTHER
    }

    /** Per-thread CPU at one moment (thread id → kind and ms), and the process's own total. */
    record Snapshot(long totalMillis, Map<Long, Kind> kinds, Map<Long, Long> millis, Map<Long, String> names) {

        /**
         * The threads that spent the most CPU since {@code before}, by name with pool numbers dropped
         * ({@code http-nio-8080-exec-3} counts as {@code http-nio-8080-exec-}), most first: "name ms, …".
         */
        String busiestSince(Snapshot before, int count) {
            Map<String, Long> byName = new HashMap<>();
            for (Map.Entry<Long, Long> e : millis.entrySet()) {
                long spent =
                        e.getValue() - (before == null ? 0 : before.millis().getOrDefault(e.getKey(), 0L));
                if (spent > 0) {
                    byName.merge(names.get(e.getKey()).replaceAll("[0-9]+$", ""), spent, Long::sum);
                }
            }
            return byName.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(count)
                    .map(e -> e.getKey() + " " + e.getValue() + " ms")
                    .collect(java.util.stream.Collectors.joining(", "));
        }

        /**
         * CPU since {@code before}. A thread that ended in between takes its CPU with it from the JIT and GC
         * figures (HotSpot retires idle compiler threads), so those are lower bounds; the total is exact.
         */
        Split since(Snapshot before) {
            if (before == null || totalMillis < 0 || before.totalMillis() < 0) {
                return Split.UNKNOWN;
            }
            long jit = 0;
            long gc = 0;
            for (Map.Entry<Long, Long> e : millis.entrySet()) {
                long spent = e.getValue() - before.millis().getOrDefault(e.getKey(), 0L);
                switch (kinds.get(e.getKey())) {
                    case JIT -> jit += spent;
                    case GC -> gc += spent;
                    default -> {}
                }
            }
            return new Split(totalMillis - before.totalMillis(), jit, gc);
        }
    }

    private ThreadCpu() {}

    /** Null when /proc cannot be read (not Linux, or the process is gone). */
    static Snapshot read(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            long total = cpuMillis(Files.readString(proc.resolve("stat")));
            Map<Long, Kind> kinds = new HashMap<>();
            Map<Long, Long> millis = new HashMap<>();
            Map<Long, String> names = new HashMap<>();
            try (java.util.stream.Stream<Path> tasks = Files.list(proc.resolve("task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        long tid = Long.parseLong(task.getFileName().toString());
                        kinds.put(tid, kindOf(comm(stat)));
                        names.put(tid, comm(stat));
                        millis.put(tid, cpuMillis(stat));
                    } catch (IOException | RuntimeException ended) {
                        // the thread ended while we looked
                    }
                }
            }
            return new Snapshot(total, kinds, millis, names);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** What a HotSpot thread does, by the name the kernel keeps (its first 15 characters). */
    static Kind kindOf(String comm) {
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return Kind.JIT;
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
            return Kind.GC;
        }
        return Kind.OTHER;
    }

    /** The command name inside the parentheses of a {@code stat} line (it may itself contain spaces). */
    static String comm(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** utime + stime of a {@code stat} line, in ms (clock ticks of 10 ms, as on every Linux this runs on). */
    static long cpuMillis(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 3, utime 14, stime 15
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }
}
