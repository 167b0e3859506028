package dev.zhifu.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * payment-service started from its jar as a separate JVM on a loopback port, in demo mode with the given data
 * directory. Every process started here is killed by {@link #close()} and, as a last resort, by a JVM shutdown
 * hook.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Pattern HEAP =
            Pattern.compile("^jvm_memory_used_bytes\\{([^}]*)\\}\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern RSS = Pattern.compile("^VmRSS:\\s+(\\d+)\\s+kB", Pattern.MULTILINE);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "kill-services"));
    }

    /** What to start: the jar, the port, the data directory, extra {@code --name=value} arguments, JVM options. */
    public record Spec(Path jar, int port, Path dataDir, List<String> args, List<String> jvmOptions, Path log) {
        public Spec {
            args = List.copyOf(args);
            jvmOptions = List.copyOf(jvmOptions);
        }
    }

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Spec spec;
    private final Process process;
    private final long startedNanos;
    private final String base;

    private final String healthPath;

    private ServiceProcess(Spec spec, Process process, long startedNanos, String healthPath) {
        this.spec = spec;
        this.process = process;
        this.startedNanos = startedNanos;
        this.base = "http://127.0.0.1:" + spec.port();
        this.healthPath = healthPath;
    }

    /**
     * The standalone Alipay sandbox ({@code alipay-sandbox.jar}) as the gateway of a production-mode service:
     * it accepts requests signed with the app key whose public half is given and signs with the given key.
     */
    public static ServiceProcess startSandbox(Path jar, int port, Path appPublicKey, Path alipayPrivateKey, Path log) {
        return startSandbox(jar, port, appPublicKey, alipayPrivateKey, log, List.of());
    }

    /** As above, with more of the sandbox's options (e.g. {@code --time-scale 240}). */
    public static ServiceProcess startSandbox(
            Path jar, int port, Path appPublicKey, Path alipayPrivateKey, Path log, List<String> options) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toAbsolutePath().toString(),
                "--port",
                Integer.toString(port),
                "--app-public-key",
                appPublicKey.toAbsolutePath().toString(),
                "--alipay-private-key",
                alipayPrivateKey.toAbsolutePath().toString()));
        command.addAll(options);
        return launch(
                new Spec(jar, port, log.toAbsolutePath().getParent(), List.of(), List.of(), log),
                command,
                "/sandbox/health");
    }

    /** Starts the process (does not wait for it to be ready). */
    public static ServiceProcess start(Spec spec) {
        if (!Files.isRegularFile(spec.jar())) {
            throw new IllegalStateException("no service jar at " + spec.jar().toAbsolutePath()
                    + " (build it: mvn -B -o -pl payment-service -am -DskipTests package)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(spec.jvmOptions());
        command.add("-jar");
        command.add(spec.jar().toAbsolutePath().toString());
        command.add("--server.port=" + spec.port());
        command.add("--server.address=127.0.0.1");
        command.add("--payments.data-dir=" + spec.dataDir().toAbsolutePath());
        command.addAll(spec.args());
        return launch(spec, command, "/actuator/health");
    }

    /**
     * Starts the service through a launcher script with the jar's arguments ({@code payment-service/quick-start.sh}:
     * extracted jar, CDS archive); the script is told the jar by {@code QUICK_START_JAR} and ends in {@code exec
     * java}, so the process measured is the JVM itself.
     */
    public static ServiceProcess startScript(Path script, Spec spec) {
        return startScript(script, spec, java.util.Map.of());
    }

    /** As {@link #startScript(Path, Spec)}, with more environment variables for the script. */
    public static ServiceProcess startScript(Path script, Spec spec, java.util.Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(script.toAbsolutePath().toString());
        command.add("--server.port=" + spec.port());
        command.add("--server.address=127.0.0.1");
        command.add("--payments.data-dir=" + spec.dataDir().toAbsolutePath());
        command.addAll(spec.args());
        return launch(spec, command, "/actuator/health", env);
    }

    private static ServiceProcess launch(Spec spec, List<String> command, String healthPath) {
        return launch(spec, command, healthPath, java.util.Map.of());
    }

    private static ServiceProcess launch(
            Spec spec, List<String> command, String healthPath, java.util.Map<String, String> env) {
        if (!Files.isRegularFile(spec.jar())) {
            throw new IllegalStateException("no jar at " + spec.jar().toAbsolutePath());
        }
        try {
            Files.createDirectories(spec.dataDir());
            Files.createDirectories(spec.log().toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("QUICK_START_JAR", spec.jar().toAbsolutePath().toString());
            pb.environment().putAll(env);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.log().toFile()))
                    .directory(spec.dataDir().toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            LIVE.add(p);
            return new ServiceProcess(spec, p, t0, healthPath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Waits until the health URL ({@code /actuator/health}) answers 200; answers the time since start in ms. */
    public long awaitReady(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        HttpRequest health = HttpRequest.newBuilder(URI.create(base + healthPath))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(spec.jar().getFileName() + " exited with " + process.exitValue()
                        + " before it was ready; log: " + spec.log().toAbsolutePath() + "\n" + tail(40));
            }
            try {
                HttpResponse<Void> r = HTTP.send(health, HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return (System.nanoTime() - startedNanos) / 1_000_000;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            sleep(50);
        }
        throw new IllegalStateException(spec.jar().getFileName() + " not ready within " + max + "; log: "
                + spec.log().toAbsolutePath() + "\n" + tail(40));
    }

    public String base() {
        return base;
    }

    public Spec spec() {
        return spec;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Resident set size of the process (VmRSS), bytes; -1 when unreadable. */
    public long rssBytes() {
        try {
            Matcher m = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(process.pid()), "status")));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time the process has used (user + system, all threads) from {@code /proc/<pid>/stat}, in milliseconds
     * (clock ticks of 10 ms, Linux's USER_HZ of 100); -1 when unreadable.
     */
    public long cpuMillis() {
        try {
            return ThreadCpu.cpuMillis(Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time (ms) of every process of this machine whose command is {@code name} ("postgres": the server's
     * backends and workers), readable from /proc; -1 when none is found.
     */
    public static long cpuMillisOfCommand(String name) {
        long total = 0;
        boolean found = false;
        try (java.util.stream.Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) procs::iterator) {
                if (!dir.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    if (ThreadCpu.comm(stat).equals(name)) {
                        total += ThreadCpu.cpuMillis(stat);
                        found = true;
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return found ? total : -1;
    }

    /**
     * Heap in use: the sum of {@code jvm_memory_used_bytes{area="heap"}} over the pools, read with {@code apiKey}
     * (the demo's own key, or the one a production-mode service was started with); -1 when unreadable.
     */
    public long heapUsedBytes(String apiKey) {
        String text = metrics(apiKey);
        return text == null ? -1 : heapFromPrometheus(text);
    }

    /** The service's {@code /actuator/prometheus} text, read with {@code apiKey}; null when unreadable. */
    public String metrics(String apiKey) {
        try {
            // metrics need the API key, as every non-public path does
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                            .header("Authorization", "Bearer " + apiKey)
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The sum of every series of the metric {@code name} (all label sets) in Prometheus text; NaN when absent. */
    static double sumOf(String text, String name) {
        if (text == null) {
            return Double.NaN;
        }
        double sum = 0;
        boolean any = false;
        for (String line : text.split("\n")) {
            if (line.startsWith(name)
                    && line.length() > name.length()
                    && (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ')) {
                // name{labels} value [timestamp] [# exemplar]: the first field after the labels
                String rest = line.substring(
                        line.charAt(name.length()) == '{' ? line.indexOf('}', name.length()) + 1 : name.length());
                sum += Double.parseDouble(rest.strip().split("\\s+")[0]);
                any = true;
            }
        }
        return any ? sum : Double.NaN;
    }

    static long heapFromPrometheus(String text) {
        Matcher m = HEAP.matcher(text);
        double sum = 0;
        boolean any = false;
        while (m.find()) {
            if (m.group(1).contains("area=\"heap\"")) {
                sum += Double.parseDouble(m.group(2));
                any = true;
            }
        }
        return any ? (long) sum : -1;
    }

    /** SIGKILL, as a crash or {@code kill -9} would: no shutdown hooks, no graceful stop. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(process);
    }

    /** Stops the process (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        LIVE.remove(process);
    }

    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(spec.log(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** A free port on 127.0.0.1 (the OS picks it). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
