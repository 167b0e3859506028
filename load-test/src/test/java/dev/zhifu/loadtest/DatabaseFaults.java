package dev.zhifu.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.zhifu.loadtest.StormPlan.Attempt;
import dev.zhifu.loadtest.StormPlan.Note;
import dev.zhifu.loadtest.StormPlan.Pay;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The service jar in production mode (the standalone sandbox jar as Alipay and as WeChat Pay, notifications re-sent
 * 240 times faster than the wallets do) on a fresh database that it reaches through a {@link DatabaseProxy}, which
 * makes the faults of issue 22 without touching the shared database server (payment-service/README.md, "When the
 * database fails"):
 * <ul>
 *   <li>a commit cut before the server had it, and one cut after the server committed but before the service heard
 *       of it, for a notification of each wallet: it is answered as not taken (Alipay's {@code failure}, WeChat
 *       Pay's 4xx/5xx {@code FAIL} instead of 204), the sandbox sends it again, it is applied once;</li>
 *   <li>a notification storm (a third of the payments {@code wechat_native}, their notifications WeChat Pay's) and
 *       webhook dispatch through 10 s with the database down (connections refused) and
 *       10 s partitioned (connections hang): meanwhile creates answer 503 {@code database_unavailable}, readiness
 *       503, liveness 200, each within the bound; afterwards creates succeed again, every acknowledged notification
 *       is applied, none twice, every event is delivered, for each channel. Counts and times are printed
 *       ({@code [db-faults] …}), per channel too.</li>
 * </ul>
 * Bounds are asserted with generous margins ({@link #FAIL_FAST}, {@link #RECOVERY}); the design values are the
 * README's. Skipped when the database server is unreachable, failed instead when {@code CI=true}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DatabaseFaults {

    /** The "within 5 s", with room for a loaded 2-core machine. */
    static final Duration FAIL_FAST = Duration.ofSeconds(8);
    /** The "within 10 s after the database returns", likewise. */
    static final Duration RECOVERY = Duration.ofSeconds(20);

    static final Duration FAULT = Duration.ofSeconds(10);
    static final int PAYMENTS = 240;
    static final int NOTIFICATIONS = 1_200;
    static final int DUPLICATES = 360;
    /** Of the storm's payments, paid with WeChat Pay ({@code wechat_native}); the rest with Alipay ({@code qr}). */
    static final int WECHAT_PERCENT = 33;

    static final int SENDERS = 8;
    /** First sends per second: the storm lasts about 40 s, so both faults fall in its middle. */
    static final int RATE = 30;

    static final Duration SEND_DEADLINE = Duration.ofSeconds(180);
    static final Pattern EVENT_ID = Pattern.compile("\"id\"\\s*:\\s*\"(evt_[^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final Map<String, AtomicInteger> webhooks = new ConcurrentHashMap<>();
    private final String run = Long.toString(System.currentTimeMillis(), 36);

    private FaultyDatabase db;
    private ServiceProcess sandbox;
    private ServiceProcess service;
    private HttpServer receiver;
    private String apiKey;
    private AlipayNotifications alipay;
    private WechatNotifications wechat;
    private Path serviceLog;

    abstract DatabaseProxy.Wire wire();

    String label() {
        return wire() == DatabaseProxy.Wire.POSTGRESQL ? "PostgreSQL" : "MariaDB";
    }

    @BeforeAll
    void start() throws Exception {
        String unavailable = FaultyDatabase.unavailableReason(wire());
        if (unavailable != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(label() + " is required when CI=true: " + unavailable);
            }
            Assumptions.abort(label() + " not reachable, database faults skipped: " + unavailable);
        }
        Path jar = Path.of(System.getProperty("loadtest.service-jar", "../payment-service/target/payment-service.jar"));
        Path sandboxJar =
                Path.of(System.getProperty("loadtest.sandbox-jar", "../alipay-sandbox/target/alipay-sandbox.jar"));
        Path work = Files.createDirectories(Path.of(System.getProperty("loadtest.work-dir", "target/it-work")))
                .resolve("db-faults-" + label().toLowerCase(java.util.Locale.ROOT) + "-" + System.currentTimeMillis());
        Path keys = work.resolve("keys");
        DemoKeyFiles.generateInto(keys, "sk_fault_");
        apiKey = Files.readString(keys.resolve("demo_api_key.txt")).strip();
        alipay = new AlipayNotifications(
                dev.zhifu.alipay.crypto.AlipayKeys.readPrivateKey(keys.resolve("alipay_private_key.pem")));
        StandaloneWechatPay wechatPay = new StandaloneWechatPay(keys);
        wechat = wechatPay.notifications();

        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                Matcher m = EVENT_ID.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                if (m.find()) {
                    webhooks.computeIfAbsent(m.group(1), k -> new AtomicInteger())
                            .incrementAndGet();
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();

        db = FaultyDatabase.createFresh(wire(), "dbfault");
        int sandboxPort = ServiceProcess.freePort();
        List<String> sandboxOptions = new ArrayList<>(List.of("--time-scale", "240"));
        sandboxOptions.addAll(wechatPay.sandboxOptions());
        sandbox = ServiceProcess.startSandbox(
                sandboxJar,
                sandboxPort,
                keys.resolve("app_public_key.pem"),
                keys.resolve("alipay_private_key.pem"),
                work.resolve("sandbox.log"),
                sandboxOptions);
        sandbox.awaitReady(Duration.ofSeconds(120));
        int port = ServiceProcess.freePort();
        serviceLog = work.resolve("service.log");
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + db.serviceUrl(),
                "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=",
                "--alipay.gateway-url=http://127.0.0.1:" + sandboxPort + "/gateway.do",
                "--alipay.app-id=" + AlipayNotifications.APP_ID,
                "--alipay.seller-id=" + AlipayNotifications.SELLER_ID,
                "--alipay.app-private-key="
                        + keys.resolve("app_private_key.pem").toAbsolutePath(),
                "--alipay.alipay-public-key="
                        + keys.resolve("alipay_public_key.pem").toAbsolutePath(),
                "--alipay.notify-url=http://127.0.0.1:" + port + "/notify/alipay",
                "--payments.api-keys=" + apiKey,
                "--payments.webhook-url=http://127.0.0.1:"
                        + receiver.getAddress().getPort() + "/hooks",
                "--payments.webhook-secret=fault-test-secret",
                "--payments.webhook-poll-interval=200ms",
                "--payments.sync.interval=1s",
                // a lease that could not be given back during an outage is taken again after this
                "--payments.sync.lease=20s"));
        args.addAll(wechatPay.serviceArgs(sandbox.base(), port));
        service = ServiceProcess.start(
                new ServiceProcess.Spec(jar, port, work.resolve("data"), args, List.of("-Xmx384m"), serviceLog));
        long ready = service.awaitReady(Duration.ofSeconds(180));
        System.out.printf(
                "[db-faults] %s: service ready in %d ms on port %d, database %s through proxy port %d%n",
                label(), ready, port, db.name(), db.proxy().port());
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (db != null) {
            db.close();
        }
    }

    // ---- the commit's outcome ----

    /** The wallet of a commit-cut case: the method paid with, and how it reads the service's answer. */
    enum Wallet {
        ALIPAY(StormPlan.ALIPAY_METHOD),
        WECHATPAY(StormPlan.WECHAT_METHOD);

        final String method;

        Wallet(String method) {
            this.method = method;
        }

        /** Taken: Alipay's 200 {@code success}; WeChat Pay's 204, the service's answer once it applied it. */
        boolean acknowledges(int status, String body) {
            return StormPlan.acknowledged(this == WECHATPAY, status, body);
        }

        /**
         * Not taken, to send again: Alipay's {@code failure} (HTTP 503 when the database failed); WeChat Pay's 4xx/5xx
         * {@code {"code":"FAIL",…}}.
         */
        boolean refuses(int status, String body) {
            return this == ALIPAY ? "failure".equals(body) : status >= 400 && body.contains("\"code\":\"FAIL\"");
        }
    }

    /**
     * The connection breaks after the service sent COMMIT and before the server got it: nothing was stored, the
     * service answers that it did not take the notification, and the sandbox's next send is applied.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Wallet.class)
    @Order(1)
    void aCommitLostOnTheWayIsAnsweredFailureAndTheResendIsApplied(Wallet wallet) throws Exception {
        List<String> outcomes = commitCut(DatabaseProxy.Cut.BEFORE_COMMIT, wallet);
        assertThat(outcomes)
                .as("the cut transaction left nothing; the re-send was applied")
                .containsExactly("APPLIED");
    }

    /**
     * The server committed but its answer never reached the service (the outcome is unknown to it): the service
     * answers that it did not take the notification, never that it did, and the sandbox's next send finds the
     * change made and is acknowledged as a duplicate, so it is applied once.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Wallet.class)
    @Order(2)
    void aCommitWhoseAnswerIsLostIsAnsweredFailureAndTheResendIsADuplicate(Wallet wallet) throws Exception {
        List<String> outcomes = commitCut(DatabaseProxy.Cut.AFTER_COMMIT, wallet);
        assertThat(outcomes)
                .as("committed though never answered; the re-send found it applied")
                .containsExactly("APPLIED", "DUPLICATE");
    }

    private List<String> commitCut(DatabaseProxy.Cut cut, Wallet wallet) throws Exception {
        // at most 32 characters, WeChat Pay's limit
        String order = "cut-" + run + "-" + (wallet == Wallet.ALIPAY ? "alipay" : "wechat") + "-"
                + (cut == DatabaseProxy.Cut.BEFORE_COMMIT ? "before" : "after");
        HttpResponse<String> created = create(order, "8.80", wallet.method);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String paymentId = String.valueOf(Json.object(created.body()).get("id"));
        CountDownLatch cutDone = db.proxy().cutAtCommit(order, cut);
        try {
            HttpResponse<String> paid =
                    send(HttpRequest.newBuilder(URI.create(sandbox.base() + "/sandbox/trades/" + order + "/pay"))
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(paid.statusCode()).as(paid.body()).isEqualTo(200);
            assertThat(DatabaseProxy.await(cutDone, Duration.ofSeconds(30)))
                    .as("the commit of the notification's transaction was cut")
                    .isTrue();
        } finally {
            db.proxy().disarm();
        }
        // the sandbox sends again (Alipay 4 min / 240 = 1 s later, WeChat Pay 15 s / 240) until it is acknowledged
        Map<String, Object> notification = null;
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            HttpResponse<String> r = send(
                    HttpRequest.newBuilder(URI.create(sandbox.base() + "/sandbox/notifications?out_trade_no=" + order))
                            .timeout(Duration.ofSeconds(10))
                            .GET());
            List<?> data = (List<?>) Json.object(r.body()).get("data");
            if (!data.isEmpty() && Boolean.TRUE.equals(((Map<?, ?>) data.get(0)).get("acknowledged"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> first = (Map<String, Object>) data.get(0);
                notification = first;
                break;
            }
            Thread.sleep(200);
        }
        assertThat(notification)
                .as("the sandbox's notification was acknowledged in the end")
                .isNotNull();
        List<?> attempts = (List<?>) notification.get("attempts");
        List<String> answers = new ArrayList<>();
        List<Boolean> acknowledged = new ArrayList<>();
        List<Boolean> refused = new ArrayList<>();
        for (Object a : attempts) {
            Map<?, ?> attempt = (Map<?, ?>) a;
            int status = Integer.parseInt(String.valueOf(attempt.get("http_status")));
            String body = String.valueOf(attempt.get("body")).strip();
            answers.add(status + " " + body);
            acknowledged.add(wallet.acknowledges(status, body));
            refused.add(wallet.refuses(status, body));
        }
        assertThat(acknowledged.get(0))
                .as("the send whose commit was cut is not acknowledged: " + answers.get(0))
                .isFalse();
        assertThat(refused.get(0))
                .as("the send whose commit was cut is answered as not taken: " + answers.get(0))
                .isTrue();
        assertThat(acknowledged.subList(0, acknowledged.size() - 1))
                .as("only the last send is acknowledged: " + answers)
                .doesNotContain(true);
        assertThat(acknowledged.get(acknowledged.size() - 1))
                .as("the last send is acknowledged: " + answers)
                .isTrue();

        List<String> outcomes = new ArrayList<>();
        try (Connection c = db.connect()) {
            try (PreparedStatement st = c.prepareStatement("SELECT outcome, channel FROM received_notifications "
                    + "WHERE out_trade_no = ? ORDER BY received_at, id")) {
                st.setString(1, order);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        outcomes.add(rs.getString(1));
                        assertThat(rs.getString(2))
                                .as("the notification's channel")
                                .isEqualTo(wallet.name());
                    }
                }
            }
            assertThat(single(c, "SELECT status FROM payments WHERE id = ?", paymentId))
                    .isEqualTo("PAID");
            assertThat(single(c, "SELECT channel FROM payments WHERE id = ?", paymentId))
                    .isEqualTo(wallet.name());
            assertThat(single(
                            c,
                            "SELECT COUNT(*) FROM payment_events WHERE payment_id = ? AND type = "
                                    + "'payment.succeeded'",
                            paymentId))
                    .as("one payment.succeeded")
                    .isEqualTo("1");
        }
        System.out.printf(
                "[db-faults] %s: %s commit cut %s: sandbox sends answered %s; stored outcomes %s%n",
                label(), wallet, cut, answers, outcomes);
        return outcomes;
    }

    // ---- outage and partition in the middle of the storm ----

    /** One request and its answer: when it was sent (nanoTime), how long it took, the status (-1: no answer). */
    record Sample(long sentNanos, long millis, int status, String body, boolean acknowledged) {
        Sample(long sentNanos, long millis, int status, String body) {
            this(sentNanos, millis, status, body, false);
        }

        long answeredNanos() {
            return sentNanos + TimeUnit.MILLISECONDS.toNanos(millis);
        }
    }

    record Window(String name, long startNanos, long endNanos) {}

    /** What the storm's senders saw: every answer, and the attempts and acknowledgements in all and per channel. */
    static final class Sent {
        final List<Sample> answers = new CopyOnWriteArrayList<>();
        final Set<String> acknowledgedIds = ConcurrentHashMap.newKeySet();
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger acknowledged = new AtomicInteger();
        final Map<String, AtomicInteger> attemptsBy = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> acknowledgedBy = new ConcurrentHashMap<>();

        void attempt(Note n) {
            attempts.incrementAndGet();
            attemptsBy
                    .computeIfAbsent(n.payment().channel(), k -> new AtomicInteger())
                    .incrementAndGet();
        }

        void acknowledged(Note n) {
            acknowledgedIds.add(n.notifyId());
            acknowledgedBy
                    .computeIfAbsent(n.payment().channel(), k -> new AtomicInteger())
                    .incrementAndGet();
            acknowledged.incrementAndGet();
        }

        int attempts(String channel) {
            return attemptsBy.getOrDefault(channel, new AtomicInteger()).get();
        }

        int acknowledged(String channel) {
            return acknowledgedBy.getOrDefault(channel, new AtomicInteger()).get();
        }
    }

    /** The channels as the service stores them. */
    static final List<String> CHANNELS = List.of("ALIPAY", "WECHATPAY");

    @Test
    @Order(3)
    void aStormThroughAnOutageAndAPartitionLosesNothingAndAppliesNothingTwice() throws Exception {
        long seed = Long.getLong("dbfaults.seed", System.nanoTime());
        System.out.printf("[db-faults] %s: storm seed %d (-Ddbfaults.seed to repeat it)%n", label(), seed);
        Random random = new Random(seed);
        List<Pay> payments = StormPlan.payments("storm-" + run, PAYMENTS, 1, WECHAT_PERCENT, random);
        createAll(payments);
        List<Note> notes = StormPlan.notifications(payments, alipay, random, NOTIFICATIONS, DUPLICATES);
        // signed only now: the service refuses a Wechatpay-Timestamp more than 5 minutes away
        StormPlan.signWechat(notes, wechat);

        List<Sample> creates = new CopyOnWriteArrayList<>();
        List<Sample> readiness = new CopyOnWriteArrayList<>();
        List<Sample> liveness = new CopyOnWriteArrayList<>();
        AtomicBoolean probing = new AtomicBoolean(true);
        ExecutorService background = Executors.newCachedThreadPool();
        List<Window> windows = new ArrayList<>();
        Map<String, String> metricsDuringFault = new LinkedHashMap<>();
        Sent sent = new Sent();
        long t0 = System.nanoTime();
        try {
            AtomicBoolean creating = new AtomicBoolean();
            background.submit(() -> probeCreates(probing, creating, creates));
            background.submit(() -> probeHealth(probing, readiness, liveness));
            List<Future<?>> senders = storm(notes, background, t0, sent);

            // the faults, each in the middle of the storm and of webhook dispatch
            sleepUntil(t0 + Duration.ofSeconds(4).toNanos());
            creating.set(true);
            sleepUntil(t0 + Duration.ofSeconds(6).toNanos());
            windows.add(fault("down", () -> db.proxy().down(), readiness, metricsDuringFault));
            awaitRecovery(creates, windows.get(0));
            windows.add(fault("partition", () -> db.proxy().partition(), readiness, metricsDuringFault));
            awaitRecovery(creates, windows.get(1));
            creating.set(false);

            for (Future<?> f : senders) {
                f.get(SEND_DEADLINE.toSeconds() + 30, TimeUnit.SECONDS);
            }
            double stormSeconds = (System.nanoTime() - t0) / 1e9;
            probing.set(false);

            // --- fail fast, say so, come back ---
            System.out.printf(
                    "[db-faults] %s: storm of %d notifications for %d payments: %.1f s, %d attempts, %d "
                            + "acknowledged; %s%n",
                    label(),
                    notes.size(),
                    PAYMENTS,
                    stormSeconds,
                    sent.attempts.get(),
                    sent.acknowledged.get(),
                    perChannel(ch -> String.format(
                            "%d payments, %d notifications, %d attempts, %d acknowledged",
                            payments.stream()
                                    .filter(p -> p.channel().equals(ch))
                                    .count(),
                            notes.stream()
                                    .filter(n -> n.payment().channel().equals(ch))
                                    .count(),
                            sent.attempts(ch),
                            sent.acknowledged(ch))));
            for (Window w : windows) {
                report(w, creates, readiness, liveness, sent.answers, metricsDuringFault.get(w.name()));
            }

            // --- lose nothing, apply nothing twice, deliver everything ---
            awaitDelivered(payments);
            verifyStorm(payments, notes, sent);
            verifyLogAndMetrics(windows);
        } finally {
            probing.set(false);
            db.proxy().pass();
            background.shutdownNow();
            background.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /** Makes the fault, keeps it {@link #FAULT}, scrapes the metrics once readiness said DOWN, heals it. */
    private Window fault(String name, Runnable make, List<Sample> readiness, Map<String, String> metrics)
            throws Exception {
        long start = System.nanoTime();
        make.run();
        System.out.printf("[db-faults] %s: database %s for %d s%n", label(), name, FAULT.toSeconds());
        long end = start + FAULT.toNanos();
        boolean scraped = false;
        while (System.nanoTime() < end) {
            if (!scraped && readiness.stream().anyMatch(s -> s.sentNanos() >= start && s.status() == 503)) {
                metrics.put(name, scrape("payments_database_up", "payments_database_unreachable_seconds"));
                scraped = true;
            }
            Thread.sleep(100);
        }
        db.proxy().pass();
        long healed = System.nanoTime();
        System.out.printf("[db-faults] %s: database back after %s %.1f s%n", label(), name, (healed - start) / 1e9);
        return new Window(name, start, healed);
    }

    private void awaitRecovery(List<Sample> creates, Window w) throws InterruptedException {
        long until = w.endNanos() + RECOVERY.toNanos();
        while (System.nanoTime() < until) {
            if (creates.stream().anyMatch(s -> s.sentNanos() >= w.endNanos() && s.status() == 201)) {
                Thread.sleep(3_000); // the storm runs on a while between the faults
                return;
            }
            Thread.sleep(100);
        }
    }

    private void report(
            Window w,
            List<Sample> creates,
            List<Sample> readiness,
            List<Sample> liveness,
            List<Sample> notifyAnswers,
            String metrics) {
        List<Sample> during = within(creates, w);
        List<Sample> refused = during.stream().filter(s -> s.status() == 503).toList();
        long slowestCreate = during.stream().mapToLong(Sample::millis).max().orElse(-1);
        long first503 = refused.isEmpty() ? -1 : refused.get(0).millis();
        Sample down = readiness.stream()
                .filter(s -> s.sentNanos() >= w.startNanos() && s.status() == 503)
                .findFirst()
                .orElse(null);
        double readinessDown = down == null ? -1 : (down.answeredNanos() - w.startNanos()) / 1e9;
        List<Sample> readyDuring = within(readiness, w);
        long slowestReadiness =
                readyDuring.stream().mapToLong(Sample::millis).max().orElse(-1);
        List<Sample> liveDuring = within(liveness, w);
        long slowestLiveness =
                liveDuring.stream().mapToLong(Sample::millis).max().orElse(-1);
        List<Sample> notifyDuring = within(notifyAnswers, w);
        long slowestNotify =
                notifyDuring.stream().mapToLong(Sample::millis).max().orElse(-1);
        long notifyFailures =
                notifyDuring.stream().filter(s -> !s.acknowledged()).count();
        Sample back = creates.stream()
                .filter(s -> s.sentNanos() >= w.endNanos() && s.status() == 201)
                .findFirst()
                .orElse(null);
        double recovered = back == null ? -1 : (back.answeredNanos() - w.endNanos()) / 1e9;
        Sample ready = readiness.stream()
                .filter(s -> s.sentNanos() >= w.endNanos() && s.status() == 200)
                .findFirst()
                .orElse(null);
        double readyAgain = ready == null ? -1 : (ready.answeredNanos() - w.endNanos()) / 1e9;
        System.out.printf(
                "[db-faults] %s %s: creates during it %d (%d answered 503, first 503 in %d ms, slowest "
                        + "answer %d ms, answers %s); readiness 503 %.1f s after the start (slowest probe %d ms); liveness %d probes, "
                        + "statuses %s, slowest %d ms; notifications during it %d (%d not acknowledged, slowest %d ms); "
                        + "metrics while down: %s; after it a create succeeded in %.1f s, readiness 200 in %.1f s%n",
                label(),
                w.name(),
                during.size(),
                refused.size(),
                first503,
                slowestCreate,
                statuses(during),
                readinessDown,
                slowestReadiness,
                liveDuring.size(),
                statuses(liveDuring),
                slowestLiveness,
                notifyDuring.size(),
                notifyFailures,
                slowestNotify,
                metrics,
                recovered,
                readyAgain);

        assertThat(refused).as(w.name() + ": creates answered 503 during it").isNotEmpty();
        for (Sample s : during) {
            assertThat(s.status())
                    .as(w.name() + ": a create during it: " + s.body())
                    .isIn(201, 503);
            if (s.status() == 503) {
                assertThat(s.body()).contains("\"code\":\"database_unavailable\"");
            }
            assertThat(s.millis())
                    .as(w.name() + ": a create answered within the bound")
                    .isLessThan(FAIL_FAST.toMillis());
        }
        assertThat(down).as(w.name() + ": readiness answered 503").isNotNull();
        assertThat(readinessDown)
                .as(w.name() + ": readiness DOWN within the bound (s)")
                .isLessThan(FAIL_FAST.toSeconds());
        assertThat(slowestReadiness)
                .as(w.name() + ": a readiness probe answers without waiting for the database")
                .isLessThan(FAIL_FAST.toMillis());
        assertThat(liveDuring).as(w.name() + ": liveness probed").isNotEmpty();
        assertThat(liveDuring).as(w.name() + ": liveness stays 200").allMatch(s -> s.status() == 200);
        assertThat(notifyDuring)
                .as(w.name() + ": notifications answered within the bound")
                .allMatch(s -> s.status() > 0 && s.millis() < FAIL_FAST.toMillis());
        assertThat(metrics)
                .as(w.name() + ": the metrics say the database is unreachable")
                .contains("payments_database_up 0.0");
        assertThat(back).as(w.name() + ": creates succeed again afterwards").isNotNull();
        assertThat(recovered)
                .as(w.name() + ": first successful create after it (s)")
                .isLessThan(RECOVERY.toSeconds());
        assertThat(ready).as(w.name() + ": readiness 200 again").isNotNull();
    }

    private static List<Sample> within(List<Sample> samples, Window w) {
        return samples.stream()
                .filter(s -> s.sentNanos() >= w.startNanos() && s.sentNanos() < w.endNanos())
                .toList();
    }

    private static Map<Integer, Long> statuses(List<Sample> samples) {
        Map<Integer, Long> m = new java.util.TreeMap<>();
        samples.forEach(s -> m.merge(s.status(), 1L, Long::sum));
        return m;
    }

    /**
     * Creates one payment after another while {@code creating} is set (around each fault only: each stays PENDING
     * and is asked about by the sync job, whose work would otherwise grow through the test).
     */
    private void probeCreates(AtomicBoolean probing, AtomicBoolean creating, List<Sample> creates) {
        int i = 0;
        while (probing.get()) {
            if (!creating.get()) {
                pause(50);
                continue;
            }
            long sent = System.nanoTime();
            int status;
            String body;
            try {
                HttpResponse<String> r = create("probe-" + run + "-" + i++, "1.00", StormPlan.ALIPAY_METHOD);
                status = r.statusCode();
                body = r.body();
            } catch (IOException | InterruptedException e) {
                status = -1;
                body = e.toString();
            }
            creates.add(new Sample(sent, (System.nanoTime() - sent) / 1_000_000, status, body));
            pause(300);
        }
    }

    private void probeHealth(AtomicBoolean probing, List<Sample> readiness, List<Sample> liveness) {
        while (probing.get()) {
            readiness.add(get("/actuator/health/readiness"));
            liveness.add(get("/actuator/health/liveness"));
            pause(250);
        }
    }

    private Sample get(String path) {
        long sent = System.nanoTime();
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(service.base() + path))
                    .timeout(Duration.ofSeconds(20))
                    .GET());
            return new Sample(sent, (System.nanoTime() - sent) / 1_000_000, r.statusCode(), r.body());
        } catch (IOException | InterruptedException e) {
            return new Sample(sent, (System.nanoTime() - sent) / 1_000_000, -1, e.toString());
        }
    }

    /** The chosen meters from {@code /actuator/prometheus}, as "name value" lines. */
    private String scrape(String... names) {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(service.base() + "/actuator/prometheus"))
                    .header("Authorization", "Bearer " + apiKey)
                    .timeout(Duration.ofSeconds(20))
                    .GET());
            StringBuilder found = new StringBuilder();
            for (String line : r.body().split("\n")) {
                for (String name : names) {
                    if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                        found.append(found.isEmpty() ? "" : "; ").append(line);
                    }
                }
            }
            return r.statusCode() + ": " + found;
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    /**
     * Senders as the wallets: each notification until it is acknowledged (Alipay's {@code success}, WeChat Pay's
     * 204), first sends at {@link #RATE}/s.
     */
    private List<Future<?>> storm(List<Note> notes, ExecutorService background, long t0, Sent sent) {
        DelayQueue<Attempt> queue = new DelayQueue<>();
        for (Note n : notes) {
            queue.add(new Attempt(n, 1, t0 + TimeUnit.SECONDS.toNanos(1) * n.index() / RATE));
        }
        long deadline = t0 + SEND_DEADLINE.toNanos();
        List<Future<?>> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            senders.add(background.submit(() -> {
                while (sent.acknowledged.get() < notes.size() && System.nanoTime() < deadline) {
                    Attempt a = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (a == null) {
                        continue;
                    }
                    sent.attempt(a.note());
                    long at = System.nanoTime();
                    String outcome;
                    int status;
                    try {
                        HttpResponse<String> r = http.send(
                                StormPlan.request(a.note(), service.base(), Duration.ofSeconds(30)),
                                HttpResponse.BodyHandlers.ofString());
                        status = r.statusCode();
                        outcome = r.body();
                    } catch (IOException e) {
                        status = -1;
                        outcome = e.toString();
                    }
                    boolean acknowledged = StormPlan.acknowledged(a.note(), status, outcome);
                    sent.answers.add(
                            new Sample(at, (System.nanoTime() - at) / 1_000_000, status, outcome, acknowledged));
                    if (acknowledged) {
                        sent.acknowledged(a.note());
                        continue;
                    }
                    long backoff = Math.min(2_000, 50L << Math.min(a.number(), 6));
                    queue.add(new Attempt(
                            a.note(), a.number() + 1, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff)));
                }
                return null;
            }));
        }
        return senders;
    }

    private void createAll(List<Pay> payments) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (Pay p : payments) {
                answers.add(pool.submit(() -> {
                    HttpResponse<String> r = create(p.outTradeNo(), p.amount(), p.method());
                    return r.statusCode() == 201 ? null : p.outTradeNo() + ": " + r.statusCode() + " " + r.body();
                }));
            }
            for (Future<String> f : answers) {
                assertThat(f.get(180, TimeUnit.SECONDS))
                        .as("every storm payment created")
                        .isNull();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void awaitDelivered(List<Pay> payments) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int undelivered = -1;
        while (System.nanoTime() < until) {
            try (Connection c = db.connect()) {
                undelivered = Integer.parseInt(single(
                        c,
                        "SELECT COUNT(*) FROM payment_events e JOIN payments p "
                                + "ON p.id = e.payment_id WHERE p.out_trade_no LIKE ? AND e.delivery_status <> 'DELIVERED'",
                        "storm-" + run + "-%"));
            }
            if (undelivered == 0) {
                return;
            }
            Thread.sleep(500);
        }
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect();
                PreparedStatement st = c.prepareStatement("SELECT e.id, e.delivery_status, "
                        + "e.attempts, e.lease_owner, e.lease_until, e.next_attempt_at, e.last_error FROM payment_events e "
                        + "JOIN payments p ON p.id = e.payment_id WHERE p.out_trade_no LIKE ? AND e.delivery_status <> "
                        + "'DELIVERED'")) {
            st.setString(1, "storm-" + run + "-%");
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next() && rows.size() < 20) {
                    rows.add(rs.getString(1) + " " + rs.getString(2) + " attempts " + rs.getInt(3) + " lease "
                            + rs.getString(4) + " until " + rs.getString(5) + " next " + rs.getString(6) + " "
                            + rs.getString(7) + " (receiver got it "
                            + webhooks.getOrDefault(rs.getString(1), new AtomicInteger())
                                    .get() + " times)");
                }
            }
        }
        System.out.println("[db-faults] undelivered: " + String.join("\n  ", rows) + "\nthreads: " + threadDump());
        assertThat(undelivered)
                .as("events of the storm not delivered after 120 s")
                .isZero();
    }

    private void verifyStorm(List<Pay> payments, List<Note> notes, Sent sent) throws SQLException {
        String like = "storm-" + run + "-%";
        Set<String> sentIds = new HashSet<>();
        notes.forEach(n -> sentIds.add(n.notifyId()));
        Map<String, Integer> created = new LinkedHashMap<>();
        payments.forEach(p -> created.merge(p.channel(), 1, Integer::sum));
        Set<String> appliedIds = new HashSet<>();
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> outcomesBy = new LinkedHashMap<>();
        Map<String, String> eventChannels = new LinkedHashMap<>();
        Map<String, Integer> paidBy;
        Map<String, Integer> eventsBy;
        int paid;
        int total;
        int events;
        int maxEventsPerPayment;
        int maxAppliedPerPayment;
        int appliedOfItsChannel;
        try (Connection c = db.connect()) {
            total = Integer.parseInt(single(c, "SELECT COUNT(*) FROM payments WHERE out_trade_no LIKE ?", like));
            paid = Integer.parseInt(single(
                    c, "SELECT COUNT(*) FROM payments WHERE out_trade_no LIKE ? " + "AND status = 'PAID'", like));
            paidBy = counts(
                    c,
                    "SELECT channel, COUNT(*) FROM payments WHERE out_trade_no LIKE ? AND status = 'PAID' "
                            + "GROUP BY channel",
                    like);
            events = Integer.parseInt(single(
                    c,
                    "SELECT COUNT(*) FROM payment_events e JOIN payments p "
                            + "ON p.id = e.payment_id WHERE p.out_trade_no LIKE ? AND e.type = 'payment.succeeded'",
                    like));
            eventsBy = counts(
                    c,
                    "SELECT p.channel, COUNT(*) FROM payment_events e JOIN payments p ON p.id = e.payment_id "
                            + "WHERE p.out_trade_no LIKE ? AND e.type = 'payment.succeeded' GROUP BY p.channel",
                    like);
            maxEventsPerPayment = Integer.parseInt(single(
                    c,
                    "SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n "
                            + "FROM payment_events e JOIN payments p ON p.id = e.payment_id WHERE p.out_trade_no LIKE ? "
                            + "GROUP BY e.payment_id) x",
                    like));
            maxAppliedPerPayment = Integer.parseInt(single(
                    c,
                    "SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n "
                            + "FROM received_notifications WHERE out_trade_no LIKE ? AND outcome = 'APPLIED' "
                            + "GROUP BY out_trade_no) x",
                    like));
            appliedOfItsChannel = Integer.parseInt(single(
                    c,
                    "SELECT COUNT(*) FROM received_notifications r JOIN payments p ON p.out_trade_no = "
                            + "r.out_trade_no WHERE r.out_trade_no LIKE ? AND r.outcome = 'APPLIED' "
                            + "AND r.channel = p.channel",
                    like));
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT notify_id, outcome, channel FROM " + "received_notifications WHERE out_trade_no LIKE ?")) {
                st.setString(1, like);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        outcomes.merge(rs.getString(2), 1, Integer::sum);
                        outcomesBy
                                .computeIfAbsent(rs.getString(3), k -> new java.util.TreeMap<>())
                                .merge(rs.getString(2), 1, Integer::sum);
                        if (!"REFUSED".equals(rs.getString(2))) {
                            appliedIds.add(rs.getString(1));
                        }
                    }
                }
            }
            try (PreparedStatement st = c.prepareStatement("SELECT e.id, p.channel FROM payment_events e JOIN "
                    + "payments p ON p.id = e.payment_id WHERE p.out_trade_no LIKE ?")) {
                st.setString(1, like);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        eventChannels.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        Set<String> acknowledgedNotApplied = new HashSet<>(sent.acknowledgedIds);
        acknowledgedNotApplied.removeAll(appliedIds);
        Set<String> neverAcknowledged = new HashSet<>(sentIds);
        neverAcknowledged.removeAll(sent.acknowledgedIds);
        Map<String, Integer> notReceivedBy = new LinkedHashMap<>();
        eventChannels.forEach((id, channel) -> {
            if (!webhooks.containsKey(id)) {
                notReceivedBy.merge(channel, 1, Integer::sum);
            }
        });
        int notReceived =
                notReceivedBy.values().stream().mapToInt(Integer::intValue).sum();
        long deliveredTwice = eventChannels.keySet().stream()
                .filter(id -> webhooks.containsKey(id) && webhooks.get(id).get() > 1)
                .count();
        System.out.printf(
                "[db-faults] %s: database after the storm: %d payments, %d PAID, %d payment.succeeded "
                        + "events (max %d per payment, max %d APPLIED notifications per payment); received_notifications "
                        + "by outcome %s; %d notifications acknowledged (%d distinct notify_ids of %d sent), "
                        + "acknowledged but not stored: %d, never acknowledged: %d; webhooks: %d events, %d received by "
                        + "the receiver, %d not received, %d received more than once%n",
                label(),
                total,
                paid,
                events,
                maxEventsPerPayment,
                maxAppliedPerPayment,
                outcomes,
                sent.acknowledged.get(),
                sent.acknowledgedIds.size(),
                sentIds.size(),
                acknowledgedNotApplied.size(),
                neverAcknowledged.size(),
                eventChannels.size(),
                eventChannels.size() - notReceived,
                notReceived,
                deliveredTwice);
        System.out.printf(
                "[db-faults] %s: by channel after the storm: %s%n",
                label(),
                perChannel(ch -> String.format(
                        "%d payments, %d PAID, %d payment.succeeded (%d not received by the receiver), "
                                + "received_notifications %s",
                        created.getOrDefault(ch, 0),
                        paidBy.getOrDefault(ch, 0),
                        eventsBy.getOrDefault(ch, 0),
                        notReceivedBy.getOrDefault(ch, 0),
                        outcomesBy.getOrDefault(ch, Map.of()))));

        assertThat(created.get("WECHATPAY"))
                .as("WeChat Pay payments in the storm")
                .isPositive();
        assertThat(neverAcknowledged).as("notifications never acknowledged").isEmpty();
        assertThat(acknowledgedNotApplied)
                .as("acknowledged notifications whose effect is not stored")
                .isEmpty();
        assertThat(total).isEqualTo(PAYMENTS);
        assertThat(paid).as("PAID").isEqualTo(PAYMENTS);
        assertThat(events).as("one payment.succeeded per payment").isEqualTo(PAYMENTS);
        assertThat(maxEventsPerPayment).as("events of one payment").isEqualTo(1);
        assertThat(maxAppliedPerPayment)
                .as("APPLIED notifications of one payment")
                .isEqualTo(1);
        assertThat(outcomes.getOrDefault("APPLIED", 0))
                .as("APPLIED notifications")
                .isEqualTo(PAYMENTS);
        assertThat(appliedOfItsChannel)
                .as("APPLIED notifications that came through the payment's channel")
                .isEqualTo(PAYMENTS);
        for (String ch : CHANNELS) {
            int n = created.getOrDefault(ch, 0);
            assertThat(paidBy.getOrDefault(ch, 0)).as(ch + ": PAID").isEqualTo(n);
            assertThat(eventsBy.getOrDefault(ch, 0))
                    .as(ch + ": payment.succeeded events")
                    .isEqualTo(n);
            assertThat(outcomesBy.getOrDefault(ch, Map.of()).getOrDefault("APPLIED", 0))
                    .as(ch + ": APPLIED notifications")
                    .isEqualTo(n);
        }
        assertThat(outcomes.getOrDefault("ANOMALY", 0)).as("anomalies").isZero();
        assertThat(outcomes.getOrDefault("REFUSED", 0))
                .as("refused notifications (not verified, stale or mismatched)")
                .isZero();
        assertThat(notReceived).as("events the receiver never got").isZero();
    }

    /** "ALIPAY: …; WECHATPAY: …", each channel's part made by {@code part}. */
    private static String perChannel(java.util.function.Function<String, String> part) {
        List<String> parts = new ArrayList<>();
        CHANNELS.forEach(ch -> parts.add(ch + ": " + part.apply(ch)));
        return String.join("; ", parts);
    }

    /** The counts of a {@code SELECT key, COUNT(*) … GROUP BY key} with one parameter. */
    private static Map<String, Integer> counts(Connection c, String sql, String param) throws SQLException {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, param);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return counts;
    }

    /** One warning when each outage starts and one line when it ends, not one per failed request. */
    private void verifyLogAndMetrics(List<Window> windows) throws IOException {
        List<String> log = Files.readAllLines(serviceLog, StandardCharsets.UTF_8);
        long unreachable =
                log.stream().filter(l -> l.contains("Database unreachable:")).count();
        long back = log.stream()
                .filter(l -> l.contains("Database reachable again after"))
                .count();
        String metrics = scrape(
                "payments_database_up", "payments_database_outages_total", "payments_database_unreachable_seconds");
        System.out.printf(
                "[db-faults] %s: log lines 'Database unreachable' %d, 'reachable again' %d; metrics after: " + "%s%n",
                label(), unreachable, back, metrics);
        log.stream()
                .filter(l -> l.contains("Database unreachable:") || l.contains("Database reachable again"))
                .forEach(l -> System.out.println("[db-faults]   " + l));
        assertThat(unreachable).as("one warning per outage").isBetween((long) windows.size(), 2L * windows.size());
        assertThat(back).as("one line when it ends").isEqualTo(unreachable);
        assertThat(metrics)
                .contains("payments_database_up 1.0")
                .contains("payments_database_outages_total " + unreachable + ".0");
    }

    /** The service's threads, for a failure's report. */
    private String threadDump() {
        try {
            Process p = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            Long.toString(service.pid()),
                            "Thread.print")
                    .redirectErrorStream(true)
                    .start();
            String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    // ---- HTTP and SQL ----

    private HttpResponse<String> create(String outTradeNo, String amount, String method)
            throws IOException, InterruptedException {
        String body = "{\"out_trade_no\":\"" + outTradeNo + "\",\"amount\":\"" + amount
                + "\",\"subject\":\"Fault\",\"method\":\"" + method + "\"}";
        return send(HttpRequest.newBuilder(URI.create(service.base() + "/api/v1/payments"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String single(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, param);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
