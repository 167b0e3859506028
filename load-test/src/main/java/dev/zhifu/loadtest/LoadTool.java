package dev.zhifu.loadtest;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load tool for payment-service: starts the service jar (demo mode, fresh data directory; H2 or a fresh
 * PostgreSQL database), measures start-up to ready, creates QR payments at C concurrent clients, sends signed
 * TRADE_SUCCESS notifications at 16 concurrent senders, samples heap and RSS, and sets the create rate against
 * the native RSA-2048 floor from {@code openssl speed}. Loopback only; every phase is bounded in requests and
 * in time; the processes it starts are always killed.
 */
public final class LoadTool {

    static final String USAGE = """
            usage: java -jar load-test/target/load-test.jar [options]
              --jar PATH             payment-service jar (default payment-service/target/payment-service.jar)
              --db h2|postgres|both  scenarios to run (default both; postgres needs 127.0.0.1:5432, user postgres)
              --target URL           use a running service instead (loopback only) with --data-dir DIR (its keys)
              --creates N            payments to create (default 4000; each gets one notification)
              --create-clients C     concurrent create clients (default 8)
              --senders S            concurrent notification senders (default 16)
              --warmup N             unmeasured creates + notifications first, and as many GETs before the
                                     stack-floor phase (default 4000: the JIT is still compiling after fewer)
              --max-seconds T        time limit of each phase (default 60)
              --openssl-seconds S    openssl speed -seconds S rsa2048 (default 3; 0 skips)
              --jvm-opts "..."       JVM options for the started service (default none)
              --heap SIZE|none       the started service's -Xmx (default 256m: the heap goal, held to
                                     as a limit; none leaves the JVM's own; an -Xmx in --jvm-opts wins)
              --gateway demo|sandbox demo: demo mode, the mounted sandbox is the gateway (default); sandbox:
                                     production mode against alipay-sandbox/target/alipay-sandbox.jar
                                     (--sandbox-jar PATH) started as its own process
              --quick-start PATH     also time the start-up through this launcher (default
                                     payment-service/quick-start.sh: extracted jar, CDS archive, C1), demo
                                     mode, H2; "none" skips it
              --repeat N             run each scenario N times (a fresh service each time) and report the
                                     median of each figure, with every run's rates beside it (default 1)
              --soak DURATION        a soak instead of the phases above (e.g. 10m): creates without a pause at
                                     --create-clients, two of every three paid by a notification, the third
                                     left pending; a row per --sample (default 60s) with creates/s,
                                     notifications/s, service CPU per request, database size, Alipay
                                     calls/s, pending; then --idle (default 2m) without traffic: the idle
                                     service's CPU and Alipay calls with the backlog it was left, a row per
                                     --sample (the last one is the steady idle cost)
              --profile PREFIX       record the measured create and notification phases with JFR (profile
                                     settings, through jcmd) to PREFIX-creates.jfr and
                                     PREFIX-notifications.jfr; the recording adds to the CPU figures
              --out FILE             also write the markdown report there
              --keep yes             keep each scenario's temporary directory (service logs, data, keys)
            """;

    /** One scenario's figures. */
    record Figures(
            String db,
            long startupMillis,
            Phase creates,
            Phase notifications,
            long heapMaxBytes,
            long heapAfterBytes,
            long rssMaxBytes,
            String loadBefore,
            String loadAfter,
            double gatewayCpuPerCreate,
            long quickStartMillis,
            double dbCpuPerCreate,
            double dbCpuPerNotification,
            Phase stackFloor,
            List<Figures> runs) {

        Figures withQuickStart(long millis) {
            return new Figures(
                    db,
                    startupMillis,
                    creates,
                    notifications,
                    heapMaxBytes,
                    heapAfterBytes,
                    rssMaxBytes,
                    loadBefore,
                    loadAfter,
                    gatewayCpuPerCreate,
                    millis,
                    dbCpuPerCreate,
                    dbCpuPerNotification,
                    stackFloor,
                    runs);
        }

        /**
         * Several runs of one scenario as one column: the median of each figure (every run makes the same number
         * of requests, so the median time is the median rate), the largest heap and RSS, errors summed.
         */
        static Figures of(List<Figures> runs) {
            if (runs.size() == 1) {
                return runs.get(0);
            }
            Figures first = runs.get(0);
            return new Figures(
                    first.db(),
                    (long) median(runs, f -> f.startupMillis()),
                    Phase.of(runs.stream().map(Figures::creates).toList()),
                    Phase.of(runs.stream().map(Figures::notifications).toList()),
                    runs.stream().mapToLong(Figures::heapMaxBytes).max().orElse(-1),
                    (long) median(runs, f -> f.heapAfterBytes()),
                    runs.stream().mapToLong(Figures::rssMaxBytes).max().orElse(-1),
                    first.loadBefore(),
                    runs.get(runs.size() - 1).loadAfter(),
                    median(runs, Figures::gatewayCpuPerCreate),
                    -1,
                    median(runs, Figures::dbCpuPerCreate),
                    median(runs, Figures::dbCpuPerNotification),
                    runs.stream().allMatch(f -> f.stackFloor() != null)
                            ? Phase.of(runs.stream().map(Figures::stackFloor).toList())
                            : null,
                    List.copyOf(runs));
        }
    }

    static <T> double median(List<T> items, java.util.function.ToDoubleFunction<T> value) {
        double[] v = items.stream().mapToDouble(value).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** One measured phase: requests tried, answered as hoped, errors, wall time, latencies. */
    record Phase(
            int tried,
            int ok,
            int errors,
            double seconds,
            double p50,
            double p99,
            String firstError,
            long serviceCpuMillis,
            long jitCpuMillis,
            long gcCpuMillis,
            long toolCpuMillis) {
        Phase withCpu(ThreadCpu.Split cpu) {
            return new Phase(
                    tried,
                    ok,
                    errors,
                    seconds,
                    p50,
                    p99,
                    firstError,
                    cpu.totalMillis(),
                    cpu.jitMillis(),
                    cpu.gcMillis(),
                    toolCpuMillis);
        }

        /** Medians of several runs' phases; errors are the most any run had, so that none is hidden. */
        static Phase of(List<Phase> runs) {
            Phase first = runs.get(0);
            return new Phase(
                    (int) median(runs, Phase::tried),
                    (int) median(runs, Phase::ok),
                    runs.stream().mapToInt(Phase::errors).max().orElse(0),
                    median(runs, Phase::seconds),
                    median(runs, Phase::p50),
                    median(runs, Phase::p99),
                    runs.stream()
                            .map(Phase::firstError)
                            .filter(java.util.Objects::nonNull)
                            .findFirst()
                            .orElse(first.firstError()),
                    (long) median(runs, Phase::serviceCpuMillis),
                    (long) median(runs, Phase::jitCpuMillis),
                    (long) median(runs, Phase::gcCpuMillis),
                    (long) median(runs, Phase::toolCpuMillis));
        }

        /** The share of the service's CPU in this phase spent by its JIT compiler threads; NaN when unknown. */
        double jitShare() {
            return serviceCpuMillis <= 0 || jitCpuMillis < 0 ? Double.NaN : (double) jitCpuMillis / serviceCpuMillis;
        }

        /** The share spent by its garbage collector threads; NaN when unknown. */
        double gcShare() {
            return serviceCpuMillis <= 0 || gcCpuMillis < 0 ? Double.NaN : (double) gcCpuMillis / serviceCpuMillis;
        }

        /** The load tool's own CPU per request, ms (the senders share the cores with the service). */
        double toolCpuPerRequest() {
            return tried == 0 ? Double.NaN : (double) toolCpuMillis / tried;
        }

        /** Service CPU per answered request, ms; NaN when unknown. */
        double cpuPerRequest() {
            return serviceCpuMillis < 0 || tried == 0 ? Double.NaN : (double) serviceCpuMillis / tried;
        }

        /**
         * The service's CPU per request but its JIT compiler threads': the steady-state cost, which the JIT, still
         * taking 2–19 % of a phase after a 100,000-request warm-up, would blur.
         */
        double cpuPerRequestWithoutJit() {
            return serviceCpuMillis < 0 || jitCpuMillis < 0 || tried == 0
                    ? Double.NaN
                    : (double) (serviceCpuMillis - jitCpuMillis) / tried;
        }

        double perSecond() {
            return seconds <= 0 ? 0 : ok / seconds;
        }
    }

    record Payment(String outTradeNo, String amount) {}

    private final Map<String, String> options;

    LoadTool(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                System.out.print(USAGE);
                return;
            }
            if (!a.startsWith("--") || i + 1 >= args.length) {
                System.err.print("bad argument: " + a + "\n" + USAGE);
                System.exit(2);
            }
            options.put(a.substring(2), args[++i]);
        }
        try {
            new LoadTool(options).run();
        } catch (IllegalArgumentException e) {
            System.err.println("load-test: " + e.getMessage());
            System.exit(2);
        }
    }

    private int intOption(String name, int def, int min, int max) {
        int v = options.containsKey(name) ? Integer.parseInt(options.get(name)) : def;
        if (v < min || v > max) {
            throw new IllegalArgumentException("--" + name + ": " + min + " to " + max);
        }
        return v;
    }

    /**
     * {@code --jvm-opts}, plus {@code -Xmx} from {@code --heap} unless those options set one themselves, plus a
     * recording from launch with {@code --profile}.
     */
    List<String> serviceJvmOptions() {
        List<String> jvm = new ArrayList<>();
        if (options.containsKey("jvm-opts") && !options.get("jvm-opts").isBlank()) {
            jvm.addAll(List.of(options.get("jvm-opts").trim().split("\\s+")));
        }
        String heap = options.getOrDefault("heap", "256m");
        if (!heap.equals("none") && !heap.matches("[1-9][0-9]*[kmgKMG]?")) {
            throw new IllegalArgumentException("--heap: a size such as 256m or 1g, or none; got " + heap);
        }
        if (!heap.equals("none") && jvm.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
            jvm.add("-Xmx" + heap);
        }
        if (options.containsKey("profile")) {
            jvm.add(FlightRecording.FROM_LAUNCH);
        }
        return jvm;
    }

    void run() throws Exception {
        if (options.containsKey("profile") && (options.containsKey("soak") || options.containsKey("target"))) {
            throw new IllegalArgumentException(
                    "--profile records the measured phases of a service this tool starts: not with --soak or --target");
        }
        if (options.containsKey("soak")) {
            soak();
            return;
        }
        int openssl = intOption("openssl-seconds", 3, 0, 30);
        String db = options.getOrDefault("db", "both");
        List<Figures> results = new ArrayList<>();
        String target = options.get("target");
        if (target != null) {
            Loopback.require(target);
            if (!options.containsKey("data-dir")) {
                throw new IllegalArgumentException(
                        "--target needs --data-dir (the service's data directory, for its keys)");
            }
            Path dataDir = Path.of(options.get("data-dir"));
            results.add(measure(
                    "target",
                    null,
                    null,
                    target.replaceAll("/+$", ""),
                    DemoKeyFiles.apiKey(dataDir),
                    DemoKeyFiles.alipayPrivateKey(dataDir),
                    -1));
        } else {
            if (db.equals("h2") || db.equals("both")) {
                Figures h2 = repeated("H2");
                results.add(
                        options.getOrDefault("gateway", "demo").equals("demo") ? h2.withQuickStart(quickStart()) : h2);
            }
            if (db.equals("postgres") || db.equals("both")) {
                String why = Postgres.unavailableReason();
                if (why == null) {
                    results.add(repeated("PostgreSQL"));
                } else {
                    System.err.println("PostgreSQL scenario skipped: " + why);
                }
            }
        }
        OpensslSpeed.Rates one = null;
        OpensslSpeed.Rates all = null;
        if (openssl > 0) {
            log("openssl speed -seconds " + openssl + " rsa2048 (one core, then -multi " + cores() + ")");
            one = OpensslSpeed.run(openssl, 1);
            all = OpensslSpeed.run(openssl, cores());
        }
        String report = report(results, one, all);
        System.out.println(report);
        if (options.containsKey("out")) {
            Files.writeString(Path.of(options.get("out")), report, StandardCharsets.UTF_8);
        }
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Start-up to ready through the quick-start launcher, demo mode on H2, fresh data directory: one untimed
     * start first (it extracts the jar and makes the CDS archive when the jar is newer), then the timed one.
     * -1 when skipped or when there is no launcher.
     */
    private long quickStart() throws Exception {
        String option = options.getOrDefault("quick-start", "payment-service/quick-start.sh");
        Path script = Path.of(option);
        if (option.equals("none") || !Files.isExecutable(script)) {
            if (!option.equals("none")) {
                System.err.println("quick-start timing skipped: " + script + " is not an executable file");
            }
            return -1;
        }
        Path jar = Path.of(options.getOrDefault("jar", "payment-service/target/payment-service.jar"));
        long ready = -1;
        for (String run : List.of("preparing", "timed")) {
            Path work = Files.createTempDirectory("load-test-quick-start-");
            try {
                ServiceProcess.Spec spec = new ServiceProcess.Spec(
                        jar,
                        ServiceProcess.freePort(),
                        work.resolve("data"),
                        List.of(),
                        List.of(),
                        work.resolve("service.log"));
                log("quick start (" + run + "): " + script);
                try (ServiceProcess service = ServiceProcess.startScript(script, spec)) {
                    ready = service.awaitReady(Duration.ofSeconds(180));
                }
                log("quick start (" + run + "): ready after " + ready + " ms");
            } finally {
                deleteTree(work);
            }
        }
        return ready;
    }

    private Figures repeated(String db) throws Exception {
        int repeat = intOption("repeat", 1, 1, 10);
        List<Figures> runs = new ArrayList<>();
        for (int i = 1; i <= repeat; i++) {
            if (repeat > 1) {
                log(db + ": run " + i + " of " + repeat);
            }
            runs.add(scenario(db));
        }
        return Figures.of(runs);
    }

    /** What is measured once a scenario's service is ready. */
    @FunctionalInterface
    interface Measurement<T> {
        T measure(Started started) throws Exception;
    }

    /** A scenario's service, ready, with what measuring it needs. */
    record Started(
            String name,
            ServiceProcess service,
            ServiceProcess sandbox,
            String apiKey,
            PrivateKey alipayKey,
            long readyMillis,
            Path work,
            Postgres postgres) {

        /** The database's size on disk: PostgreSQL's {@code pg_database_size}, or the H2 files under the scenario. */
        long databaseBytes() {
            if (postgres != null) {
                try (java.sql.Connection c = postgres.connect();
                        java.sql.Statement st = c.createStatement();
                        java.sql.ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
                    return rs.next() ? rs.getLong(1) : -1;
                } catch (java.sql.SQLException e) {
                    return -1;
                }
            }
            try (java.util.stream.Stream<Path> files = Files.walk(work)) {
                return files.filter(f -> f.getFileName().toString().endsWith(".mv.db"))
                        .mapToLong(f -> f.toFile().length())
                        .sum();
            } catch (IOException | java.io.UncheckedIOException e) {
                return -1;
            }
        }
    }

    private Figures scenario(String db) throws Exception {
        return scenario(
                db,
                s -> measure(
                        s.name(),
                        s.service(),
                        s.sandbox(),
                        s.service().base(),
                        s.apiKey(),
                        s.alipayKey(),
                        s.readyMillis()));
    }

    private void soak() throws Exception {
        Duration soak = Soak.duration("soak", options.get("soak"));
        Duration sample = Soak.duration("sample", options.getOrDefault("sample", "60s"));
        Duration idle = Soak.duration("idle", options.getOrDefault("idle", "2m"));
        int clients = intOption("create-clients", 8, 1, 256);
        int senders = intOption("senders", 16, 1, 256);
        String db = options.getOrDefault("db", "both");
        List<Soak.Result> results = new ArrayList<>();
        for (String name : List.of("H2", "PostgreSQL")) {
            if (!db.equals("both") && !db.equalsIgnoreCase(name.equals("H2") ? "h2" : "postgres")) {
                continue;
            }
            if (name.equals("PostgreSQL") && Postgres.unavailableReason() != null) {
                System.err.println("PostgreSQL soak skipped: " + Postgres.unavailableReason());
                continue;
            }
            results.add(scenario(name, s -> Soak.run(soakTarget(s), soak, sample, idle, clients, senders)));
        }
        String report = Soak.report(results, soak, sample, idle, clients, senders);
        System.out.println(report);
        if (options.containsKey("out")) {
            Files.writeString(Path.of(options.get("out")), report, StandardCharsets.UTF_8);
        }
    }

    /** On a PostgreSQL server without autovacuum, the soak vacuums after each interval in its stead, and says so. */
    private static Soak.Target soakTarget(Started s) {
        Runnable housekeeping = () -> {};
        String note = null;
        if (s.postgres() != null && !s.postgres().autovacuum()) {
            housekeeping = s.postgres()::vacuum;
            note =
                    "This PostgreSQL server runs without autovacuum (`autovacuum = off`): the tool ran `VACUUM (ANALYZE)` "
                            + "on the soak's database after each interval in its stead, as a production server's autovacuum "
                            + "would (without it, dead rows pile up and every update slows down).";
        }
        return new Soak.Target(s.name(), s.service(), s.apiKey(), s.alipayKey(), s::databaseBytes, housekeeping, note);
    }

    private <T> T scenario(String db, Measurement<T> measurement) throws Exception {
        Path jar = Path.of(options.getOrDefault("jar", "payment-service/target/payment-service.jar"));
        boolean external = options.getOrDefault("gateway", "demo").equals("sandbox");
        String name = db + (external ? " + sandbox jar" : "");
        Path work = Files.createTempDirectory("load-test-" + db.toLowerCase(Locale.ROOT) + "-");
        List<String> args = new ArrayList<>();
        Postgres pg = null;
        ServiceProcess sandbox = null;
        try {
            if (db.equals("PostgreSQL")) {
                pg = Postgres.createFresh("loadtest");
                args.add("--spring.datasource.url=" + pg.url());
                args.add("--spring.datasource.username=" + Postgres.USER);
                args.add("--spring.datasource.password=");
            }
            int port = ServiceProcess.freePort();
            Path data = work.resolve("data");
            // demo mode: the service generates its demo keys on this first start, read once it is ready;
            // production mode: keys of its own elsewhere (production refuses the demo's keys and API key)
            Path keys = external ? work.resolve("production-keys") : DemoKeyFiles.dir(data);
            if (external) {
                DemoKeyFiles.generateInto(keys, "sk_load_");
                Path prod = keys;
                Path sandboxJar =
                        Path.of(options.getOrDefault("sandbox-jar", "alipay-sandbox/target/alipay-sandbox.jar"));
                int sandboxPort = ServiceProcess.freePort();
                sandbox = ServiceProcess.startSandbox(
                        sandboxJar,
                        sandboxPort,
                        prod.resolve("app_public_key.pem"),
                        prod.resolve("alipay_private_key.pem"),
                        work.resolve("sandbox.log"));
                log(name + ": sandbox ready after " + sandbox.awaitReady(Duration.ofSeconds(120)) + " ms on port "
                        + sandboxPort);
                args.add("--alipay.gateway-url=http://127.0.0.1:" + sandboxPort + "/gateway.do");
                args.add("--alipay.app-id=" + AlipayNotifications.APP_ID);
                args.add("--alipay.seller-id=" + AlipayNotifications.SELLER_ID);
                args.add("--alipay.app-private-key=" + prod.resolve("app_private_key.pem"));
                args.add("--alipay.alipay-public-key=" + prod.resolve("alipay_public_key.pem"));
                args.add("--alipay.notify-url=http://127.0.0.1:" + port + "/notify/alipay");
                args.add("--payments.api-keys="
                        + Files.readString(keys.resolve("demo_api_key.txt")).strip());
                if (pg == null) {
                    args.add("--spring.datasource.url=jdbc:h2:file:"
                            + work.resolve("h2").toAbsolutePath() + "/payments;LOCK_TIMEOUT=3000");
                }
            }
            List<String> jvm = serviceJvmOptions();
            ServiceProcess.Spec spec = new ServiceProcess.Spec(jar, port, data, args, jvm, work.resolve("service.log"));
            log(name + ": starting " + jar + " on port " + spec.port() + " (data " + spec.dataDir() + ")");
            try (ServiceProcess service = ServiceProcess.start(spec)) {
                long ready = service.awaitReady(Duration.ofSeconds(120));
                log(name + ": ready after " + ready + " ms");
                String apiKey =
                        Files.readString(keys.resolve("demo_api_key.txt")).strip();
                java.security.PrivateKey alipayKey =
                        dev.zhifu.alipay.crypto.AlipayKeys.readPrivateKey(keys.resolve("alipay_private_key.pem"));
                return measurement.measure(new Started(name, service, sandbox, apiKey, alipayKey, ready, work, pg));
            }
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
            if (pg != null) {
                pg.close();
            }
            if (options.containsKey("keep")) {
                log(name + ": logs and data kept in " + work);
            } else {
                deleteTree(work);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a temporary directory: best effort
        }
    }

    private Figures measure(
            String db,
            ServiceProcess service,
            ServiceProcess gateway,
            String base,
            String apiKey,
            java.security.PrivateKey alipayKey,
            long startup)
            throws Exception {
        int creates = intOption("creates", 4000, 1, 200_000);
        int clients = intOption("create-clients", 8, 1, 256);
        int senders = intOption("senders", 16, 1, 256);
        int warmup = intOption("warmup", 4000, 0, 100_000);
        int maxSeconds = intOption("max-seconds", 60, 1, 3600);
        AlipayNotifications alipay = new AlipayNotifications(alipayKey);
        String loadBefore = loadAverage();

        if (warmup > 0) {
            log(db + ": warm-up, " + warmup + " creates and notifications (not measured)");
            List<Payment> w = new ArrayList<>();
            createPhase(base, apiKey, warmup, clients, maxSeconds, w);
            // with the heap sampling of the measured phase: its metrics scrapes are code the JIT must have compiled
            // before, or compiling it is a fifth of the measured phase's CPU
            notifyPhase(
                    base,
                    sign(alipay, w),
                    senders,
                    maxSeconds,
                    service == null ? null : () -> service.heapUsedBytes(apiKey));
        }
        if (warmup > 0 && service != null) {
            settle(db, service);
        }
        List<Payment> made = new ArrayList<>();
        log(db + ": " + creates + " creates (qr) at " + clients + " clients, at most " + maxSeconds + " s");
        boolean postgres = db.startsWith("PostgreSQL");
        FlightRecording createRecording = record(service, "creates");
        ThreadCpu.Snapshot cpu0 = service == null ? null : ThreadCpu.read(service.pid());
        long gw0 = gateway == null ? -1 : gateway.cpuMillis();
        long pg0 = postgres ? ServiceProcess.cpuMillisOfCommand("postgres") : -1;
        Phase c = createPhase(base, apiKey, creates, clients, maxSeconds, made);
        ThreadCpu.Snapshot cpu1 = service == null ? null : ThreadCpu.read(service.pid());
        long gw1 = gateway == null ? -1 : gateway.cpuMillis();
        long pg1 = postgres ? ServiceProcess.cpuMillisOfCommand("postgres") : -1;
        if (createRecording != null) {
            createRecording.close();
        }
        c = c.withCpu(cpu1 == null ? ThreadCpu.Split.UNKNOWN : cpu1.since(cpu0));
        double gatewayCpuPerCreate =
                gw0 < 0 || gw1 < 0 || c.tried() == 0 ? Double.NaN : (double) (gw1 - gw0) / c.tried();
        log(db + ": " + fmt(c.perSecond()) + " creates/s, p50 " + fmt(c.p50()) + " ms, p99 " + fmt(c.p99()) + " ms, "
                + c.errors() + " errors");
        log(db + ": signing " + made.size() + " TRADE_SUCCESS notifications");
        List<byte[]> bodies = sign(alipay, made);
        long[] heapMax = {-1};
        long[] rssMax = {-1};
        log(db + ": " + bodies.size() + " notifications at " + senders + " senders");
        FlightRecording notifyRecording = record(service, "notifications");
        ThreadCpu.Snapshot cpu2 = service == null ? null : ThreadCpu.read(service.pid());
        long pg2 = postgres ? ServiceProcess.cpuMillisOfCommand("postgres") : -1;
        Phase n = notifyPhase(base, bodies, senders, maxSeconds, () -> {
            if (service != null) {
                heapMax[0] = Math.max(heapMax[0], service.heapUsedBytes(apiKey));
                rssMax[0] = Math.max(rssMax[0], service.rssBytes());
            }
        });
        ThreadCpu.Snapshot cpu3 = service == null ? null : ThreadCpu.read(service.pid());
        long pg3 = postgres ? ServiceProcess.cpuMillisOfCommand("postgres") : -1;
        if (notifyRecording != null) {
            notifyRecording.close();
        }
        n = n.withCpu(cpu3 == null ? ThreadCpu.Split.UNKNOWN : cpu3.since(cpu2));
        log(db + ": " + fmt(n.perSecond()) + " applied/s, p50 " + fmt(n.p50()) + " ms, p99 " + fmt(n.p99()) + " ms, "
                + n.errors() + " errors");
        long heapAfter = service == null ? -1 : service.heapUsedBytes(apiKey);
        if (service != null) {
            rssMax[0] = Math.max(rssMax[0], service.rssBytes());
        }
        // what the web stack costs by itself: a GET the service answers without the database or Alipay, at the
        // same concurrency; what a create or a notification costs beyond it is the application's
        Phase floor = null;
        if (service != null) {
            URI health = Loopback.require(base + "/actuator/health/liveness");
            int probes = Math.max(2000, n.tried());
            // warmed up like the other phases: its code is new to the JIT, which would otherwise be most of it
            if (warmup > 0) {
                phase(
                        health,
                        Math.min(probes, warmup),
                        senders,
                        maxSeconds,
                        i -> KeepAliveClient.get(health),
                        (i, r) -> r.status() == 200);
            }
            ThreadCpu.Snapshot f0 = ThreadCpu.read(service.pid());
            floor = phase(
                    health, probes, senders, maxSeconds, i -> KeepAliveClient.get(health), (i, r) -> r.status() == 200);
            ThreadCpu.Snapshot f1 = ThreadCpu.read(service.pid());
            floor = floor.withCpu(f1 == null ? ThreadCpu.Split.UNKNOWN : f1.since(f0));
        }
        return new Figures(
                db,
                startup,
                c,
                n,
                heapMax[0],
                heapAfter,
                rssMax[0],
                loadBefore,
                loadAverage(),
                gatewayCpuPerCreate,
                -1,
                perRequest(pg0, pg1, c.tried()),
                perRequest(pg2, pg3, n.tried()),
                floor,
                List.of());
    }

    /**
     * Waits (at most a minute) until the service's JIT compiler threads have been idle for a second, so that
     * compilations the warm-up's last requests queued are not charged to the first measured phase.
     */
    private static void settle(String db, ServiceProcess service) throws InterruptedException {
        long start = System.nanoTime();
        ThreadCpu.Snapshot before = ThreadCpu.read(service.pid());
        while (before != null && System.nanoTime() - start < TimeUnit.MINUTES.toNanos(1)) {
            Thread.sleep(1000);
            ThreadCpu.Snapshot now = ThreadCpu.read(service.pid());
            if (now == null || now.since(before).jitMillis() < 20) {
                break;
            }
            before = now;
        }
        log(db + ": JIT settled after the warm-up in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                + " ms");
    }

    /** With {@code --profile}: a JFR recording of the started service for the phase that follows; else null. */
    private FlightRecording record(ServiceProcess service, String phase) throws Exception {
        if (service == null || !options.containsKey("profile")) {
            return null;
        }
        Path file = Path.of(options.get("profile") + "-" + phase + ".jfr");
        log("recording the " + phase + " phase to " + file.toAbsolutePath());
        return FlightRecording.start(service.pid(), phase, file);
    }

    private static double perRequest(long before, long after, int requests) {
        return before < 0 || after < 0 || requests == 0 ? Double.NaN : (double) (after - before) / requests;
    }

    private static List<byte[]> sign(AlipayNotifications alipay, List<Payment> payments) {
        return payments.parallelStream()
                .map(p -> alipay.formBody(AlipayNotifications.tradeSuccess(p.outTradeNo(), p.amount())))
                .toList();
    }

    private Phase createPhase(String base, String apiKey, int count, int clients, int maxSeconds, List<Payment> made)
            throws InterruptedException {
        URI uri = Loopback.require(base + "/api/v1/payments");
        String run = Long.toString(System.currentTimeMillis(), 36);
        Payment[] planned = new Payment[count];
        for (int i = 0; i < count; i++) {
            int cents = ThreadLocalRandom.current().nextInt(100, 100_000);
            planned[i] = new Payment("lt-" + run + "-" + i, (cents / 100) + "." + String.format("%02d", cents % 100));
        }
        String auth = "Authorization: Bearer " + apiKey + "\r\n";
        return phase(
                uri,
                count,
                clients,
                maxSeconds,
                i -> KeepAliveClient.post(
                        uri,
                        "application/json",
                        auth,
                        ("{\"out_trade_no\":\"" + planned[i].outTradeNo() + "\",\"amount\":\"" + planned[i].amount()
                                        + "\",\"subject\":\"Load test\",\"method\":\"qr\"}")
                                .getBytes(StandardCharsets.UTF_8)),
                (i, r) -> {
                    if (r.status() != 201) {
                        return false;
                    }
                    synchronized (made) {
                        made.add(planned[i]);
                    }
                    return true;
                });
    }

    private Phase notifyPhase(String base, List<byte[]> bodies, int senders, int maxSeconds, Runnable sampler)
            throws InterruptedException {
        URI uri = Loopback.require(base + "/notify/alipay");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        AtomicLong finished = new AtomicLong();
        Thread sampling = null;
        if (sampler != null) {
            sampling = new Thread(
                    () -> {
                        while (finished.get() == 0 && System.nanoTime() < deadline) {
                            sampler.run();
                            try {
                                // a scrape of /actuator/prometheus is work for the service, charged to the phase:
                                // four a second were 7 % of the samples of a profile of the phase; one a second is
                                // about 2 %
                                Thread.sleep(1000);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "heap-sampler");
            sampling.setDaemon(true);
            sampling.start();
        }
        try {
            return phase(
                    uri,
                    bodies.size(),
                    senders,
                    maxSeconds,
                    i -> KeepAliveClient.post(
                            uri, "application/x-www-form-urlencoded; charset=utf-8", null, bodies.get(i)),
                    (i, r) -> r.status() == 200 && r.body().equals("success"));
        } finally {
            finished.set(1);
            if (sampling != null) {
                sampling.interrupt();
                sampling.join(5000);
            }
        }
    }

    /**
     * Sends requests 0..count-1 from {@code threads} threads until all are sent or {@code maxSeconds} pass;
     * {@code accepted} says whether an answer is the one hoped for (anything else, or no answer, is an error).
     */
    private Phase phase(
            URI uri,
            int count,
            int threads,
            int maxSeconds,
            java.util.function.IntFunction<byte[]> requestOf,
            java.util.function.BiPredicate<Integer, KeepAliveClient.Answer> accepted)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        String[] firstError = {null};
        Latencies latencies = new Latencies(count);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        long toolCpu0 = toolCpuNanos();
        long t0 = System.nanoTime();
        runParallel(
                threads,
                () -> {
                    try (KeepAliveClient client = new KeepAliveClient(uri, 30_000)) {
                        int i;
                        while ((i = next.getAndIncrement()) < count && System.nanoTime() < deadline) {
                            byte[] request = requestOf.apply(i);
                            long s = System.nanoTime();
                            try {
                                KeepAliveClient.Answer r = client.send(request);
                                latencies.add(System.nanoTime() - s);
                                if (accepted.test(i, r)) {
                                    ok.incrementAndGet();
                                } else {
                                    errors.incrementAndGet();
                                    noteError(firstError, r.status() + " " + r.body());
                                }
                            } catch (IOException e) {
                                errors.incrementAndGet();
                                noteError(firstError, e.toString());
                            }
                        }
                    }
                },
                maxSeconds);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long toolCpu = toolCpuNanos() - toolCpu0;
        return new Phase(
                ok.get() + errors.get(),
                ok.get(),
                errors.get(),
                seconds,
                latencies.percentileMillis(0.5),
                latencies.percentileMillis(0.99),
                firstError[0],
                -1,
                -1,
                -1,
                toolCpu / 1_000_000);
    }

    /** CPU time of this process (all its threads), for the tool's own share of the shared cores. */
    private static long toolCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void noteError(String[] first, String what) {
        synchronized (first) {
            if (first[0] == null) {
                first[0] = what.length() > 300 ? what.substring(0, 300) : what;
            }
        }
    }

    private static void runParallel(int threads, Runnable work, int maxSeconds) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int i = 0; i < threads; i++) {
                pool.execute(work);
            }
            pool.shutdown();
            if (!pool.awaitTermination(maxSeconds + 60L, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private String report(List<Figures> results, OpensslSpeed.Rates one, OpensslSpeed.Rates all) {
        StringBuilder s = new StringBuilder();
        int clients = intOption("create-clients", 8, 1, 256);
        int senders = intOption("senders", 16, 1, 256);
        double floor = all == null ? Double.NaN : OpensslSpeed.createFloor(all);
        s.append("\n### payment-service load, ")
                .append(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")))
                .append('\n');
        s.append("\n")
                .append(cores())
                .append(" cores, ")
                .append(System.getProperty("java.vm.name"))
                .append(' ')
                .append(System.getProperty("java.version"))
                .append(", ")
                .append(Runtime.getRuntime().maxMemory() / (1 << 20))
                .append(" MB max heap in the tool; the service's JVM options: ")
                .append(serviceJvmOptions().isEmpty() ? "none" : "`" + String.join(" ", serviceJvmOptions()) + "`")
                .append("; warm-up ")
                .append(intOption("warmup", 4000, 0, 100_000))
                .append(" creates + notifications + GETs before the measured phases\n\n");
        boolean repeated = results.stream().anyMatch(r -> r.runs().size() > 1);
        if (repeated) {
            s.append("Each column: the median of ")
                    .append(results.get(0).runs().size())
                    .append(
                            " runs, a fresh service each (heap and RSS: the largest; errors: the most in one run).\n\n");
        }
        s.append("| figure |");
        results.forEach(r -> s.append(' ').append(r.db()).append(" |"));
        s.append(" goal |\n|---|");
        results.forEach(r -> s.append("---:|"));
        s.append("---|\n");
        row(
                s,
                "start-up to ready (`/actuator/health` 200), ms",
                results,
                r -> r.startupMillis() < 0 ? "n/a" : Long.toString(r.startupMillis()),
                "≤ 3000 (demo, H2)");
        if (repeated) {
            row(s, "start-up, each run, ms", results, r -> each(r, f -> (double) f.startupMillis()), "");
        }
        if (results.stream().anyMatch(r -> r.quickStartMillis() >= 0)) {
            row(
                    s,
                    "start-up to ready with `payment-service/quick-start.sh` (extracted, CDS, C1), ms",
                    results,
                    r -> r.quickStartMillis() < 0 ? "–" : Long.toString(r.quickStartMillis()),
                    "≤ 3000 (demo, H2)");
        }
        row(
                s,
                "creates/s (qr, " + clients + " clients)",
                results,
                r -> fmt(r.creates().perSecond()),
                Double.isNaN(floor) ? "" : "≥ " + fmt(floor / 2) + " (0.5 × floor)");
        if (repeated) {
            row(s, "creates/s, each run", results, r -> each(r, f -> f.creates().perSecond()), "");
        }
        row(
                s,
                "create p50 / p99, ms",
                results,
                r -> fmt(r.creates().p50()) + " / " + fmt(r.creates().p99()),
                "");
        row(
                s,
                "service CPU per create, ms (→ creates/s if the service had all " + cores() + " cores)",
                results,
                r -> fmt(r.creates().cpuPerRequest()) + " (→ "
                        + fmt(cores() * 1000 / r.creates().cpuPerRequest()) + ")",
                "");
        row(
                s,
                "of the service's CPU in the create phase: JIT compiler threads / GC threads",
                results,
                r -> shares(r.creates()),
                "");
        row(
                s,
                "service CPU per create without its JIT compiler threads, ms",
                results,
                r -> twoDecimals(r.creates().cpuPerRequestWithoutJit()),
                "");
        if (results.stream().anyMatch(r -> !Double.isNaN(r.gatewayCpuPerCreate()))) {
            row(s, "standalone sandbox CPU per create, ms", results, r -> fmt(r.gatewayCpuPerCreate()), "");
        }
        if (results.stream().anyMatch(r -> !Double.isNaN(r.dbCpuPerCreate()))) {
            row(s, "PostgreSQL server CPU per create, ms (same machine)", results, r -> fmt(r.dbCpuPerCreate()), "");
        }
        row(
                s,
                "load tool CPU per create, ms (its clients share the cores)",
                results,
                r -> String.format(Locale.ROOT, "%.2f", r.creates().toolCpuPerRequest()),
                "");
        row(
                s,
                "create errors / tried",
                results,
                r -> r.creates().errors() + " / " + r.creates().tried(),
                "0");
        if (!Double.isNaN(floor)) {
            row(
                    s,
                    "creates/s ÷ crypto floor (" + fmt(floor) + "/s)",
                    results,
                    r -> String.format(Locale.ROOT, "%.2f", r.creates().perSecond() / floor),
                    "≥ 0.5");
        }
        row(
                s,
                "notifications applied/s (" + senders + " senders)",
                results,
                r -> fmt(r.notifications().perSecond()),
                "≥ 2000 H2, ≥ 1000 PostgreSQL");
        if (repeated) {
            row(
                    s,
                    "notifications applied/s, each run",
                    results,
                    r -> each(r, f -> f.notifications().perSecond()),
                    "");
        }
        row(
                s,
                "notification p50 / p99, ms",
                results,
                r -> fmt(r.notifications().p50()) + " / "
                        + fmt(r.notifications().p99()),
                "p99 < 50");
        row(
                s,
                "service CPU per notification, ms (→ /s if the service had all " + cores() + " cores)",
                results,
                r -> fmt(r.notifications().cpuPerRequest()) + " (→ "
                        + fmt(cores() * 1000 / r.notifications().cpuPerRequest()) + ")",
                "");
        row(
                s,
                "of the service's CPU in the notification phase: JIT compiler threads / GC threads",
                results,
                r -> shares(r.notifications()),
                "");
        row(
                s,
                "service CPU per notification without its JIT compiler threads, ms",
                results,
                r -> twoDecimals(r.notifications().cpuPerRequestWithoutJit()),
                "");
        if (results.stream().anyMatch(r -> !Double.isNaN(r.dbCpuPerNotification()))) {
            row(
                    s,
                    "PostgreSQL server CPU per notification, ms (same machine)",
                    results,
                    r -> fmt(r.dbCpuPerNotification()),
                    "");
        }
        row(
                s,
                "load tool CPU per notification, ms (its senders share the cores)",
                results,
                r -> String.format(Locale.ROOT, "%.2f", r.notifications().toolCpuPerRequest()),
                "");
        row(
                s,
                "notification errors / tried",
                results,
                r -> r.notifications().errors() + " / " + r.notifications().tried(),
                "0");
        if (results.stream().anyMatch(r -> r.stackFloor() != null)) {
            row(
                    s,
                    "service CPU per trivial request (`GET /actuator/health/liveness`, " + senders
                            + " senders: the web stack's own cost), ms",
                    results,
                    r -> r.stackFloor() == null
                            ? "n/a"
                            : String.format(Locale.ROOT, "%.2f", r.stackFloor().cpuPerRequest()) + " (JIT / GC "
                                    + shares(r.stackFloor()) + ")",
                    "");
        }
        row(s, "heap used, max under notification load, MB", results, r -> mb(r.heapMaxBytes()), "≤ 256");
        row(s, "heap used after the run, MB", results, r -> mb(r.heapAfterBytes()), "");
        row(s, "RSS (VmRSS), max, MB", results, r -> mb(r.rssMaxBytes()), "");
        row(s, "load average before / after", results, r -> r.loadBefore() + " / " + r.loadAfter(), "");
        if (one != null) {
            s.append("\nNative RSA-2048 (OpenSSL):\n\n| command | sign/s | verify/s |\n|---|---:|---:|\n");
            for (OpensslSpeed.Rates r : List.of(one, all)) {
                s.append("| `")
                        .append(r.command())
                        .append("` | ")
                        .append(fmt(r.signPerSecond()))
                        .append(" | ")
                        .append(fmt(r.verifyPerSecond()))
                        .append(" |\n");
            }
            s.append("\nCrypto floor for creates (2 signs + 2 verifies each, all ")
                    .append(cores())
                    .append(" cores, as measured with -multi): 1 / (2/")
                    .append(fmt(all.signPerSecond()))
                    .append(" + 2/")
                    .append(fmt(all.verifyPerSecond()))
                    .append(") = ")
                    .append(fmt(floor))
                    .append(" creates/s");
            OpensslSpeed.Rates ideal =
                    new OpensslSpeed.Rates("ideal", one.signPerSecond() * cores(), one.verifyPerSecond() * cores());
            double idealFloor = OpensslSpeed.createFloor(ideal);
            s.append("; on ")
                    .append(cores())
                    .append(" idle cores (")
                    .append(cores())
                    .append(" × the one-core rates) it would be ")
                    .append(fmt(idealFloor))
                    .append(" creates/s, ratio ");
            results.forEach(r -> s.append(r.db())
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.2f", r.creates().perSecond() / idealFloor))
                    .append("; "));
            s.append('\n');
        }
        for (Figures r : results) {
            if (r.creates().firstError() != null) {
                s.append("\n")
                        .append(r.db())
                        .append(" first create error: `")
                        .append(r.creates().firstError())
                        .append("`");
            }
            if (r.notifications().firstError() != null) {
                s.append("\n")
                        .append(r.db())
                        .append(" first notification error: `")
                        .append(r.notifications().firstError())
                        .append("`");
            }
        }
        return s.append('\n').toString();
    }

    private static String shares(Phase phase) {
        return percent(phase.jitShare()) + " / " + percent(phase.gcShare());
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    private static String each(Figures r, java.util.function.ToDoubleFunction<Figures> value) {
        return r.runs().stream()
                .map(f -> fmt(value.applyAsDouble(f)))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static void row(
            StringBuilder s,
            String name,
            List<Figures> results,
            java.util.function.Function<Figures, String> value,
            String goal) {
        s.append("| ").append(name).append(" |");
        results.forEach(r -> s.append(' ').append(value.apply(r)).append(" |"));
        s.append(' ').append(goal).append(" |\n");
    }

    static String twoDecimals(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "n/a" : Long.toString(bytes / (1 << 20));
    }

    private static void log(String line) {
        System.err.println("[load-test] " + line);
    }
}
