package dev.zhifu.loadtest;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A soak run: creates QR payments without a pause for a long time, pays two of every three (a signed
 * TRADE_SUCCESS notification each, as Alipay would send it) and leaves the third pending, as abandoned QR codes
 * are; then stops all traffic and watches the idle service with the backlog it was left. Short runs on a fresh
 * database cannot see what grows with the work (the database file, the sync job's queries, the CPU per request);
 * this reports them minute by minute.
 */
final class Soak {

    static final String ALIPAY_CALLS = "alipay_client_calls_seconds_count";
    static final String PENDING = "payments_pending";
    /** Bytes H2 read from its file: pages its cache did not hold (absent on PostgreSQL). */
    static final String H2_FILE_READ = "payments_h2_file_read_bytes_total";

    /** One sample interval's figures; counts are of that interval, sizes and gauges at its end. */
    record Interval(
            int index,
            double seconds,
            long creates,
            long notifications,
            long errors,
            long serviceCpuMillis,
            long databaseBytes,
            long paymentsSoFar,
            double alipayCalls,
            double pending,
            double databaseReadBytes) {

        double createsPerSecond() {
            return creates / seconds;
        }

        double notificationsPerSecond() {
            return notifications / seconds;
        }

        double cpuPerRequest() {
            long requests = creates + notifications;
            return serviceCpuMillis < 0 || requests == 0 ? Double.NaN : (double) serviceCpuMillis / requests;
        }

        double alipayCallsPerSecond() {
            return alipayCalls / seconds;
        }

        double bytesPerPayment() {
            return databaseBytes < 0 || paymentsSoFar == 0 ? Double.NaN : (double) databaseBytes / paymentsSoFar;
        }
    }

    /** The quiet time after the traffic: what the service costs with nothing to do but its backlog. */
    record Idle(
            double seconds,
            long serviceCpuMillis,
            double alipayCalls,
            double pendingBefore,
            double pendingAfter,
            long databaseBytes,
            String busiestThreads,
            double lastSeconds,
            double lastCoreShare) {

        /** The service's CPU as a share of one core. */
        double coreShare() {
            return serviceCpuMillis < 0 ? Double.NaN : serviceCpuMillis / (seconds * 1000);
        }

        double alipayCallsPerSecond() {
            return alipayCalls / seconds;
        }
    }

    record Result(
            String name,
            List<Interval> intervals,
            long payments,
            long notified,
            long abandoned,
            Idle idle,
            String firstError,
            String note) {

        /** The last full interval's creates/s over the best interval's. */
        double lastOverBest() {
            double best = intervals.stream()
                    .mapToDouble(Interval::createsPerSecond)
                    .max()
                    .orElse(Double.NaN);
            return intervals.isEmpty()
                    ? Double.NaN
                    : intervals.get(intervals.size() - 1).createsPerSecond() / best;
        }
    }

    /**
     * What a soak needs of the service under test. {@code housekeeping} runs after each interval (the database's
     * own upkeep when the server does not do it, see {@link Postgres#vacuum}); {@code note}, when
     * not null, says so in the report.
     */
    record Target(
            String name,
            ServiceProcess service,
            String apiKey,
            PrivateKey alipayKey,
            LongSupplier databaseBytes,
            Runnable housekeeping,
            String note) {}

    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]*)(s|m|h)");

    private Soak() {}

    /** {@code 90s}, {@code 10m}, {@code 1h}. */
    static Duration duration(String option, String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--" + option + ": a duration such as 90s, 10m or 1h; got " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    static Result run(Target target, Duration soak, Duration sample, Duration idle, int clients, int senders)
            throws InterruptedException {
        ServiceProcess service = target.service();
        String base = service.base();
        URI create = Loopback.require(base + "/api/v1/payments");
        URI notify = Loopback.require(base + "/notify/alipay");
        AlipayNotifications alipay = new AlipayNotifications(target.alipayKey());
        String auth = "Authorization: Bearer " + target.apiKey() + "\r\n";
        String run = Long.toString(System.currentTimeMillis(), 36);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong index = new AtomicLong();
        AtomicLong created = new AtomicLong();
        AtomicLong notified = new AtomicLong();
        AtomicLong abandoned = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        String[] firstError = {null};
        BlockingQueue<String[]> toPay = new LinkedBlockingQueue<>();

        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(started("soak-create-" + c, () -> {
                try (KeepAliveClient client = new KeepAliveClient(create, 30_000)) {
                    while (!stop.get()) {
                        long i = index.getAndIncrement();
                        int cents = ThreadLocalRandom.current().nextInt(100, 100_000);
                        String[] payment = {
                            "soak-" + run + "-" + i, (cents / 100) + "." + String.format("%02d", cents % 100)
                        };
                        byte[] body = ("{\"out_trade_no\":\"" + payment[0] + "\",\"amount\":\"" + payment[1]
                                        + "\",\"subject\":\"Soak\",\"method\":\"qr\"}")
                                .getBytes(StandardCharsets.UTF_8);
                        try {
                            KeepAliveClient.Answer r =
                                    client.send(KeepAliveClient.post(create, "application/json", auth, body));
                            if (r.status() != 201) {
                                fail(errors, firstError, "create " + r.status() + " " + r.body());
                            } else {
                                created.incrementAndGet();
                                if (i % 3 == 2) {
                                    abandoned.incrementAndGet(); // never paid: stays PENDING until it expires
                                } else {
                                    toPay.add(payment);
                                }
                            }
                        } catch (IOException e) {
                            fail(errors, firstError, "create " + e);
                        }
                    }
                }
            }));
        }
        for (int s = 0; s < senders; s++) {
            threads.add(started("soak-notify-" + s, () -> {
                try (KeepAliveClient client = new KeepAliveClient(notify, 30_000)) {
                    while (!stop.get()) {
                        String[] payment;
                        try {
                            payment = toPay.poll(200, TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                            return;
                        }
                        if (payment == null) {
                            continue;
                        }
                        byte[] body = alipay.formBody(AlipayNotifications.tradeSuccess(payment[0], payment[1]));
                        try {
                            KeepAliveClient.Answer r = client.send(KeepAliveClient.post(
                                    notify, "application/x-www-form-urlencoded; charset=utf-8", null, body));
                            if (r.status() == 200 && r.body().equals("success")) {
                                notified.incrementAndGet();
                            } else {
                                fail(errors, firstError, "notify " + r.status() + " " + r.body());
                            }
                        } catch (IOException e) {
                            fail(errors, firstError, "notify " + e);
                        }
                    }
                }
            }));
        }

        List<Interval> intervals = new ArrayList<>();
        long end = System.nanoTime() + soak.toNanos();
        Sample previous = Sample.take(target, created.get(), notified.get(), errors.get());
        ThreadCpu.Snapshot threadsBefore = ThreadCpu.read(service.pid());
        while (System.nanoTime() < end) {
            long wait = Math.min(sample.toNanos(), end - System.nanoTime());
            TimeUnit.NANOSECONDS.sleep(wait);
            Sample now = Sample.take(target, created.get(), notified.get(), errors.get());
            Interval interval = now.since(previous, intervals.size() + 1);
            intervals.add(interval);
            log(target.name() + ": " + interval.index() + ": " + LoadTool.fmt(interval.createsPerSecond())
                    + " creates/s, "
                    + LoadTool.fmt(interval.notificationsPerSecond()) + " notifications/s, "
                    + String.format(Locale.ROOT, "%.2f", interval.cpuPerRequest()) + " ms CPU per request, database "
                    + mb(interval.databaseBytes()) + " MB, " + LoadTool.fmt(interval.alipayCallsPerSecond())
                    + " Alipay calls/s, " + LoadTool.fmt(interval.pending()) + " pending"
                    + (Double.isNaN(interval.databaseReadBytes())
                            ? ""
                            : ", H2 read " + mb((long) interval.databaseReadBytes()) + " MB from its file"));
            // where a slow interval's CPU went (request threads, H2's compaction, GC, the JIT): the log only
            ThreadCpu.Snapshot threadsNow = ThreadCpu.read(service.pid());
            if (threadsBefore != null && threadsNow != null) {
                log(target.name() + ": " + interval.index() + ": busiest threads: "
                        + threadsNow.busiestSince(threadsBefore, 6));
            }
            threadsBefore = threadsNow;
            previous = now;
            target.housekeeping().run();
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join(60_000);
        }
        long unsent = toPay.size();
        abandoned.addAndGet(unsent); // created, meant to be paid, never notified: pending like the others
        if (intervals.size() > 1 && intervals.get(intervals.size() - 1).seconds() < sample.toSeconds() * 0.5) {
            intervals.remove(intervals.size() - 1); // a short tail is no minute to compare with the others
        }

        log(target.name() + ": no traffic for " + idle.toSeconds() + " s (" + unsent + " paid notifications not sent)");
        Sample quiet0 = Sample.take(target, created.get(), notified.get(), errors.get());
        ThreadCpu.Snapshot threads0 = ThreadCpu.read(service.pid());
        // a row per --sample here too: right after the traffic the JIT, GC and H2's compaction still finish its
        // work, so the last interval is the service's steady idle cost
        Sample quiet1 = quiet0;
        Sample lastStart = quiet0;
        long idleEnd = quiet0.nanos() + idle.toNanos();
        for (int i = 1; System.nanoTime() < idleEnd; i++) {
            TimeUnit.NANOSECONDS.sleep(Math.min(sample.toNanos(), idleEnd - System.nanoTime()));
            lastStart = quiet1;
            quiet1 = Sample.take(target, created.get(), notified.get(), errors.get());
            target.housekeeping().run();
            log(target.name() + ": idle " + i + ": " + percent(share(lastStart, quiet1)) + " of one core, "
                    + LoadTool.fmt((quiet1.alipayCalls() - lastStart.alipayCalls())
                            / ((quiet1.nanos() - lastStart.nanos()) / 1e9))
                    + " Alipay calls/s");
        }
        ThreadCpu.Snapshot threads1 = ThreadCpu.read(service.pid());
        double seconds = (quiet1.nanos() - quiet0.nanos()) / 1e9;
        Idle quiet = new Idle(
                seconds,
                quiet0.cpuMillis() < 0 || quiet1.cpuMillis() < 0 ? -1 : quiet1.cpuMillis() - quiet0.cpuMillis(),
                quiet1.alipayCalls() - quiet0.alipayCalls(),
                quiet0.pending(),
                quiet1.pending(),
                quiet1.databaseBytes(),
                threads1 == null ? "n/a" : threads1.busiestSince(threads0, 6),
                (quiet1.nanos() - lastStart.nanos()) / 1e9,
                share(lastStart, quiet1));
        log(target.name() + ": idle: " + percent(quiet.coreShare()) + " of one core, "
                + LoadTool.fmt(quiet.alipayCallsPerSecond()) + " Alipay calls/s, " + LoadTool.fmt(quiet.pendingAfter())
                + " pending; busiest threads: " + quiet.busiestThreads());
        return new Result(
                target.name(),
                intervals,
                created.get(),
                notified.get(),
                abandoned.get(),
                quiet,
                firstError[0],
                target.note());
    }

    /** The service's CPU between two samples as a share of one core; NaN when either has none. */
    private static double share(Sample from, Sample to) {
        return from.cpuMillis() < 0 || to.cpuMillis() < 0 || to.nanos() == from.nanos()
                ? Double.NaN
                : (to.cpuMillis() - from.cpuMillis()) / ((to.nanos() - from.nanos()) / 1e6);
    }

    /** Counters at one moment. */
    private record Sample(
            long nanos,
            long creates,
            long notifications,
            long errors,
            long cpuMillis,
            long databaseBytes,
            double alipayCalls,
            double pending,
            double databaseReadBytes) {

        static Sample take(Target target, long creates, long notifications, long errors) {
            String metrics = target.service().metrics(target.apiKey());
            if (metrics == null) { // one scrape lost under load: try once more before reporting n/a
                metrics = target.service().metrics(target.apiKey());
            }
            double calls = Double.NaN; // unknown when the scrape failed
            if (metrics != null) {
                double sum = ServiceProcess.sumOf(metrics, ALIPAY_CALLS);
                calls = Double.isNaN(sum) ? 0 : sum; // no series yet: no call made
            }
            return new Sample(
                    System.nanoTime(),
                    creates,
                    notifications,
                    errors,
                    target.service().cpuMillis(),
                    target.databaseBytes().getAsLong(),
                    calls, // NaN makes the interval's calls/s n/a, not a negative rate
                    ServiceProcess.sumOf(metrics, PENDING),
                    ServiceProcess.sumOf(metrics, H2_FILE_READ));
        }

        Interval since(Sample before, int index) {
            return new Interval(
                    index,
                    (nanos - before.nanos()) / 1e9,
                    creates - before.creates(),
                    notifications - before.notifications(),
                    errors - before.errors(),
                    cpuMillis < 0 || before.cpuMillis() < 0 ? -1 : cpuMillis - before.cpuMillis(),
                    databaseBytes,
                    creates,
                    alipayCalls - before.alipayCalls(),
                    pending,
                    databaseReadBytes - before.databaseReadBytes());
        }
    }

    private static Thread started(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void fail(AtomicLong errors, String[] first, String what) {
        errors.incrementAndGet();
        synchronized (first) {
            if (first[0] == null) {
                first[0] = what.length() > 300 ? what.substring(0, 300) : what;
            }
        }
    }

    /** The markdown report of one or more soaks. */
    static String report(
            List<Result> results, Duration soak, Duration sample, Duration idle, int clients, int senders) {
        StringBuilder s = new StringBuilder();
        s.append("\n### Soak, ")
                .append(soak.toMinutes() > 0 ? soak.toMinutes() + " min" : soak.toSeconds() + " s")
                .append(", ")
                .append(java.time.ZonedDateTime.now()
                        .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")))
                .append("\n\n")
                .append(LoadTool.cores())
                .append(" cores; QR creates at ")
                .append(clients)
                .append(" clients without a pause, two of every three paid by a notification (")
                .append(senders)
                .append(" senders), the third left pending; then ")
                .append(idle.toSeconds())
                .append(" s without traffic. Each row: one ")
                .append(sample.toSeconds())
                .append(" s interval; database size and pending at its end.\n");
        for (Result r : results) {
            s.append("\n#### ").append(r.name()).append("\n\n");
            if (r.note() != null) {
                s.append(r.note()).append("\n\n");
            }
            s.append("| interval | creates/s | notifications/s | errors | "
                    + "service CPU per request, ms | database, MB | database per payment, KB | Alipay calls/s | pending |\n"
                    + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Interval i : r.intervals()) {
                s.append("| ")
                        .append(i.index())
                        .append(" | ")
                        .append(LoadTool.fmt(i.createsPerSecond()))
                        .append(" | ")
                        .append(LoadTool.fmt(i.notificationsPerSecond()))
                        .append(" | ")
                        .append(i.errors())
                        .append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f", i.cpuPerRequest()))
                        .append(" | ")
                        .append(mb(i.databaseBytes()))
                        .append(" | ")
                        .append(kb(i.bytesPerPayment()))
                        .append(" | ")
                        .append(LoadTool.fmt(i.alipayCallsPerSecond()))
                        .append(" | ")
                        .append(LoadTool.fmt(i.pending()))
                        .append(" |\n");
            }
            Idle q = r.idle();
            s.append("\n| figure | value | goal |\n|---|---:|---|\n");
            s.append("| payments created / paid by notification / left pending | ")
                    .append(r.payments())
                    .append(" / ")
                    .append(r.notified())
                    .append(" / ")
                    .append(r.abandoned())
                    .append(" | |\n");
            s.append("| last interval's creates/s ÷ best interval's | ")
                    .append(String.format(Locale.ROOT, "%.2f", r.lastOverBest()))
                    .append(" | ≥ 0.9 |\n");
            s.append("| database on disk per payment at the end, KB | ")
                    .append(kb(r.payments() == 0 ? Double.NaN : (double) q.databaseBytes() / r.payments()))
                    .append(" | ≤ 5 |\n");
            s.append("| idle service CPU with ")
                    .append(LoadTool.fmt(q.pendingAfter()))
                    .append(" pending (")
                    .append(Math.round(q.seconds()))
                    .append(" s), share of one core | ")
                    .append(percent(q.coreShare()))
                    .append(" | ≤ 5 % |\n");
            s.append("| the same in the idle time's last ")
                    .append(Math.round(q.lastSeconds()))
                    .append(" s (JIT, GC and compaction done with the traffic) | ")
                    .append(percent(q.lastCoreShare()))
                    .append(" | ≤ 5 % |\n");
            s.append("| idle: the service's busiest threads | ")
                    .append(q.busiestThreads())
                    .append(" | |\n");
            s.append("| idle Alipay calls/s | ")
                    .append(LoadTool.fmt(q.alipayCallsPerSecond()))
                    .append(" | within `payments.sync.max-calls-per-second` |\n");
            if (r.firstError() != null) {
                s.append("\nFirst error: `").append(r.firstError()).append("`\n");
            }
        }
        return s.toString();
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    private static String kb(double bytes) {
        return Double.isNaN(bytes) ? "n/a" : String.format(Locale.ROOT, "%.1f", bytes / 1024);
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    private static void log(String line) {
        System.err.println("[load-test] " + line);
    }
}
