package dev.zhifu.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JFR recording of one measured phase of a started service, begun and ended through {@code jcmd} so that start-up
 * and warm-up stay out of it (option {@code --profile}). It adds its own cost to the phase's CPU figures: take the
 * figures from a run without it.
 */
final class FlightRecording implements AutoCloseable {

    /**
     * The service's JVM option for a recording from launch with the phases' settings, its last minute kept on disk.
     * Without it the first phase's recording switches on JFR's I/O events mid-run, which instruments JDK classes
     * already compiled: they were compiled again, and 28 % of the phase's CPU went to the JIT. On disk, not in
     * memory: a phase's recording then starts a new chunk and its file holds the phase alone (with the launch
     * recording in memory, the file began at the launch).
     */
    static final String FROM_LAUNCH = "-XX:StartFlightRecording=name=launch,settings=profile,disk=true,maxage=1m";

    private final long pid;
    private final String name;
    private final Path file;

    private FlightRecording(long pid, String name, Path file) {
        this.pid = pid;
        this.name = name;
        this.file = file;
    }

    /** Starts recording the process with JFR's {@code profile} settings (method samples every 10–20 ms). */
    static FlightRecording start(long pid, String name, Path file) throws IOException, InterruptedException {
        jcmd(pid, "JFR.start", "name=" + name, "settings=profile", "filename=" + file.toAbsolutePath());
        return new FlightRecording(pid, name, file);
    }

    /** Ends the recording and writes its file. */
    @Override
    public void close() throws IOException, InterruptedException {
        jcmd(pid, "JFR.stop", "name=" + name, "filename=" + file.toAbsolutePath());
    }

    private static void jcmd(long pid, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        command.add(Long.toString(pid));
        command.addAll(List.of(arguments));
        // its output goes to a file, read after the wait: reading the pipe first would wait as long as jcmd does
        Path output = Files.createTempFile("jcmd-", ".txt");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("jcmd " + String.join(" ", arguments) + " did not finish within 60 s");
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || out.contains("Could not") || out.contains("Exception")) {
                throw new IOException("jcmd " + String.join(" ", arguments) + " failed: " + out.strip());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
