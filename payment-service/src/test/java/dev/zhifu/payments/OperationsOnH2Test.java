package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.notify.NotificationSigner;
import dev.zhifu.payments.operations.AlipayCircuit;
import dev.zhifu.payments.operations.JobMetrics;
import dev.zhifu.payments.operations.PaymentTraces;
import dev.zhifu.payments.payments.PaymentSyncJob;
import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.DatabaseInitializer;
import dev.zhifu.payments.testing.Scrape;
import dev.zhifu.payments.testing.ServiceSuite;
import dev.zhifu.payments.testing.TestClockConfiguration;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Operations end to end, on H2 with the sandbox in-process and a webhook receiver on loopback: every meter moves
 * when its event happens (read from a real {@code /actuator/prometheus} scrape), one payment's trace links the
 * API request, its Alipay call and Alipay's notification, a full flow logged at DEBUG leaks no secret, health
 * groups, and every metric {@code deploy/} names exists.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(
        classes = {PaymentServiceApplication.class, TestClockConfiguration.class, OperationsOnH2Test.Probes.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "test.database=h2",
            ServiceSuite.SELLER_PROPERTY,
            "alipay.read-timeout=10s",
            "payments.api-keys=" + OperationsOnH2Test.API_KEY,
            "payments.webhook-secret=" + OperationsOnH2Test.WEBHOOK_SECRET,
            "payments.webhook-poll-interval=200ms"
        })
@ContextConfiguration(initializers = DatabaseInitializer.class)
class OperationsOnH2Test extends ServiceSuite {

    static final String API_KEY = "sk_live_OpsTestKey7f3a9c2e41d8b6";
    static final String WEBHOOK_SECRET = "whsec_OpsTestSecret5e8d2b7c";
    private static final HttpServer RECEIVER;
    private static final AtomicInteger ANSWER = new AtomicInteger(204);
    private static final List<String> SIGNATURES = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final AtomicReference<String> CIRCUIT = new AtomicReference<>("CLOSED");

    static {
        try {
            RECEIVER = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RECEIVER.createContext("/hooks", exchange -> {
            exchange.getRequestBody().readAllBytes();
            SIGNATURES.add(exchange.getRequestHeaders().getFirst("Payment-Signature"));
            exchange.sendResponseHeaders(ANSWER.get(), -1);
            exchange.close();
        });
        RECEIVER.start();
    }

    @DynamicPropertySource
    static void webhook(DynamicPropertyRegistry registry) {
        registry.add(
                "payments.webhook-url",
                () -> "http://127.0.0.1:" + RECEIVER.getAddress().getPort() + "/hooks");
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.stop(0);
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Probes {
        @Bean
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }

        @Bean
        @org.springframework.context.annotation.Primary
        AlipayCircuit.State testCircuitState() {
            return CIRCUIT::get;
        }
    }

    @Autowired
    InMemorySpanExporter spans;

    @Autowired
    SdkTracerProvider tracerProvider;

    @Autowired
    JobMetrics jobs;

    @Autowired
    PaymentSyncJob syncJob;

    @AfterEach
    void restore() {
        ANSWER.set(204);
        CIRCUIT.set("CLOSED");
        clock.reset();
    }

    private Scrape scrape() {
        Api.Response r = api.get("/actuator/prometheus");
        assertThat(r.status()).isEqualTo(200);
        return new Scrape(r.body());
    }

    private static Map<String, String> tags(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private double delta(Scrape before, Scrape after, String name, String... kv) {
        return after.value(name, tags(kv)) - before.value(name, tags(kv));
    }

    private String postSigned(Map<String, String> params) {
        return postNotification(signedByAlipay(params)).body();
    }

    @Test
    void eachMetricMovesWhenItsEventHappens() {
        Scrape before = scrape();

        String no = uniqueOrderNo();
        String id = paidQr(no, "9.90"); // created, an Alipay call, Alipay's notification applied: paid
        JsonNode paid = payment(id);
        assertThat(postSigned(notification(paid, "TRADE_SUCCESS"))).isEqualTo("success"); // a copy: duplicate
        Map<String, String> forged =
                new NotificationSigner(demoKeys.alipayPrivateKey()).sign(notification(paid, "TRADE_SUCCESS"));
        forged.put("total_amount", "0.01");
        assertThat(postNotification(NotificationSigner.encode(forged, StandardCharsets.UTF_8)
                                .getBytes(StandardCharsets.US_ASCII))
                        .body())
                .isEqualTo("failure"); // bad_signature
        Map<String, String> wrongAmount = notification(paid, "TRADE_SUCCESS");
        wrongAmount.put("total_amount", "1.00");
        assertThat(postSigned(wrongAmount)).isEqualTo("failure"); // mismatch

        String closing = createQr(uniqueOrderNo(), "3.00").get("id").asString();
        assertThat(api.post("/api/v1/payments/" + closing + "/close", null).status())
                .isEqualTo(200);

        // webhooks: refused until the receiver accepts; meanwhile the backlog is visible
        ANSWER.set(500);
        await(
                () -> delta(before, scrape(), "payments_webhooks_deliveries_total", "result", "failed") >= 1,
                Duration.ofSeconds(30),
                () -> "no failed webhook delivery counted");
        // the gauges read the database at most once a second
        await(
                () -> scrape().value("payments_webhooks_undelivered") >= 1,
                Duration.ofSeconds(10),
                () -> "the undelivered event is not counted");
        Scrape backingUp = scrape();
        ANSWER.set(204);
        clock.advance(Duration.ofMinutes(10)); // retries are due at once, and the pending payment is 10 minutes old
        String pending = createQr(uniqueOrderNo(), "4.00").get("id").asString();
        clock.advance(Duration.ofMinutes(10));
        await(
                () -> delta(before, scrape(), "payments_webhooks_deliveries_total", "result", "delivered") >= 2,
                Duration.ofSeconds(30),
                () -> "webhooks never delivered");
        await(
                () -> scrape().value("payments_webhooks_undelivered") == 0,
                Duration.ofSeconds(30),
                () -> "the webhook backlog never drained");

        syncJob.scheduled(); // one run of the sync job (which also closes expired payments)
        jobs.run(JobMetrics.RECONCILIATION, JobMetrics.Outcome.FAILURE); // what the reconciliation job reports
        jobs.discrepancies("amount_mismatch", 2);
        CIRCUIT.set("OPEN");

        Scrape after = scrape();
        assertThat(delta(before, after, "payments_creations_total", "method", "qr"))
                .isEqualTo(3);
        assertThat(delta(before, after, "payments_paid_total", "method", "qr")).isEqualTo(1);
        assertThat(delta(before, after, "payments_closed_total", "method", "qr"))
                .isEqualTo(1);
        assertThat(delta(
                        before,
                        after,
                        "alipay_client_calls_seconds_count",
                        "method",
                        "alipay.trade.precreate",
                        "outcome",
                        "success",
                        "code",
                        "10000"))
                .isEqualTo(3);
        assertThat(delta(before, after, "alipay_client_calls_seconds_count", "method", "alipay.trade.close"))
                .isEqualTo(1);
        assertThat(delta(before, after, "payments_notifications_received_total", "result", "ok"))
                .isEqualTo(1);
        assertThat(delta(before, after, "payments_notifications_received_total", "result", "duplicate"))
                .isEqualTo(1);
        assertThat(delta(before, after, "payments_notifications_received_total", "result", "bad_signature"))
                .isEqualTo(1);
        assertThat(delta(before, after, "payments_notifications_received_total", "result", "mismatch"))
                .isEqualTo(1);
        assertThat(delta(before, after, "payments_notification_lag_seconds_count"))
                .isEqualTo(1);
        assertThat(after.value("payments_pending")).isGreaterThanOrEqualTo(1);
        assertThat(after.value("payments_pending_oldest_age_seconds")).isGreaterThanOrEqualTo(600);
        assertThat(backingUp.value("payments_webhooks_undelivered_oldest_age_seconds"))
                .isGreaterThanOrEqualTo(0);
        assertThat(delta(before, after, "payments_jobs_runs_total", "job", "webhook_dispatch", "outcome", "success"))
                .isGreaterThanOrEqualTo(1);
        assertThat(delta(before, after, "payments_jobs_runs_total", "job", "sync", "outcome", "success"))
                .isGreaterThanOrEqualTo(1);
        assertThat(delta(before, after, "payments_jobs_runs_total", "job", "reconciliation", "outcome", "failure"))
                .isEqualTo(1);
        assertThat(after.value("payments_jobs_last_success_seconds", tags("job", "sync")))
                .isPositive();
        assertThat(delta(before, after, "payments_job_item_seconds_count", "job", "webhook_dispatch"))
                .isGreaterThanOrEqualTo(2);
        assertThat(delta(before, after, "payments_reconciliation_discrepancies_total", "kind", "amount_mismatch"))
                .isEqualTo(2);
        assertThat(after.value("alipay_circuit_state", tags("state", "open"))).isEqualTo(1);
        assertThat(after.value("alipay_circuit_state", tags("state", "closed"))).isZero();
        assertThat(before.value("alipay_circuit_state", tags("state", "closed")))
                .isEqualTo(1);
        assertThat(pending).isNotBlank();
    }

    @Test
    void seriesExistAtZeroBeforeTheirFirstEvent() {
        Scrape s = scrape();
        for (String method : List.of("page", "wap", "app", "qr", "barcode")) {
            assertThat(s.has("payments_creations_total", tags("method", method)))
                    .as(method)
                    .isTrue();
            assertThat(s.has("payments_paid_total", tags("method", method)))
                    .as(method)
                    .isTrue();
            assertThat(s.has("payments_closed_total", tags("method", method)))
                    .as(method)
                    .isTrue();
        }
        for (String job : JobMetrics.JOBS) {
            assertThat(s.has("payments_jobs_runs_total", tags("job", job, "outcome", "failure")))
                    .as(job)
                    .isTrue();
        }
        assertThat(s.has("payments_reconciliation_discrepancies_total", tags("kind", "missing_locally")))
                .isTrue();
        assertThat(s.has("payments_notifications_received_total", tags("result", "bad_signature")))
                .isTrue();
    }

    @Test
    void aTraceOfOnePaymentLinksTheApiRequestTheAlipayCallAndTheNotification() {
        String no = uniqueOrderNo();
        String id = paidQr(no, "7.70");
        // the payment reads PAID as soon as the notification's transaction commits, a moment before its span ends
        List<SpanData> all = awaitSpans(s -> s.getName().equals(PaymentTraces.NOTIFICATION_SPAN)
                && no.equals(s.getAttributes().get(AttributeKey.stringKey("alipay.out_trade_no"))));

        SpanData notification = all.stream()
                .filter(s -> s.getName().equals(PaymentTraces.NOTIFICATION_SPAN)
                        && no.equals(s.getAttributes().get(AttributeKey.stringKey("alipay.out_trade_no"))))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no notification span for " + no + " in " + names(all)));
        assertThat(notification.getAttributes().get(AttributeKey.stringKey("payments.notification.result")))
                .isEqualTo("ok");
        assertThat(notification.getLinks()).hasSize(1);
        String apiTrace = notification.getLinks().get(0).getSpanContext().getTraceId();
        String apiSpanId = notification.getLinks().get(0).getSpanContext().getSpanId();

        SpanData request = all.stream()
                .filter(s -> s.getSpanId().equals(apiSpanId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the linked span was not exported: " + names(all)));
        assertThat(request.getTraceId()).isEqualTo(apiTrace);
        assertThat(request.getAttributes().get(AttributeKey.stringKey("http.url")))
                .isEqualTo("/api/v1/payments");

        SpanData call = all.stream()
                .filter(s -> s.getTraceId().equals(apiTrace) && s.getName().equals("alipay alipay.trade.precreate"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Alipay call in the API request's trace: " + names(all)));
        assertThat(call.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(call.getAttributes().get(AttributeKey.stringKey("alipay.method")))
                .isEqualTo("alipay.trade.precreate");
        assertThat(call.getAttributes().get(AttributeKey.stringKey("alipay.outcome")))
                .isEqualTo("success");
        // the notification's own trace starts at its HTTP request
        assertThat(notification.getParentSpanContext().isValid()).isTrue();
        assertThat(id).isNotBlank();
    }

    /** The finished spans once one matching {@code wanted} has ended (bounded: 10 s), flushed each time. */
    private List<SpanData> awaitSpans(java.util.function.Predicate<SpanData> wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            assertThat(tracerProvider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess())
                    .isTrue();
            List<SpanData> all = spans.getFinishedSpanItems();
            if (all.stream().anyMatch(wanted) || System.nanoTime() - deadline > 0) {
                return all;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return all;
            }
        }
    }

    private static List<String> names(List<SpanData> spans) {
        List<String> names = new ArrayList<>();
        spans.forEach(s -> names.add(s.getName()));
        return names;
    }

    @Test
    void aFullFlowLoggedAtDebugLeaksNoKeySignatureApiKeySecretOrBuyerId(CapturedOutput output) {
        LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
        logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.DEBUG);
        List<String> mustNotAppear = new ArrayList<>();
        String no;
        try {
            no = uniqueOrderNo();
            JsonNode page = create("{\"out_trade_no\":\"" + no + "\",\"amount\":\"12.00\",\"subject\":\"Tea\","
                    + "\"method\":\"page\",\"return_url\":\"https://shop.example.com/done\"}");
            mustNotAppear.add(param(page.get("action").get("url").asString(), "sign"));
            assertThat(api.open(page.get("action").get("url").asString()).status())
                    .isLessThan(400);
            sandbox.pay(no);
            String id = page.get("id").asString();
            awaitStatus(id, "PAID");

            Map<String, String> copy = notification(payment(id), "TRADE_SUCCESS");
            copy.put("buyer_id", "2088102199998888");
            copy.put("buyer_logon_id", "ops***@example.com");
            Map<String, String> signed = new NotificationSigner(demoKeys.alipayPrivateKey()).sign(copy);
            mustNotAppear.add(signed.get("sign"));
            mustNotAppear.add(URLDecoder.decode(
                    NotificationSigner.encode(Map.of("s", signed.get("sign")), StandardCharsets.UTF_8)
                            .substring(2),
                    StandardCharsets.UTF_8));
            assertThat(postSigned(copy)).isEqualTo("success");

            refundInFull(id, "12.00");
            await(() -> SIGNATURES.size() >= 3, Duration.ofSeconds(30), () -> "webhooks not delivered");
            mustNotAppear.add(sandbox.trade(no).get("buyer_logon_id").asText());
        } finally {
            logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.INFO);
        }
        for (String header : SIGNATURES) {
            mustNotAppear.add(header.substring(header.indexOf("v1=") + 3));
        }
        mustNotAppear.add(API_KEY);
        mustNotAppear.add(WEBHOOK_SECRET);
        mustNotAppear.add("2088102199998888");
        mustNotAppear.add("ops***@example.com");
        for (java.security.Key key : List.of(demoKeys.appPrivateKey(), demoKeys.alipayPrivateKey())) {
            String base64 = AlipayKeys.toBase64(key);
            mustNotAppear.add(base64.substring(40, 104)); // any 64-character stretch of the key, as a PEM line holds
            mustNotAppear.add(base64.substring(base64.length() - 100, base64.length() - 36));
        }

        String logs = output.getAll();
        assertThat(logs).contains("DEBUG").contains(no).contains("/notify/alipay");
        for (String secret : mustNotAppear) {
            assertThat(secret).isNotBlank();
            assertThat(logs).as("the logs hold a secret").doesNotContain(secret);
        }
    }

    private static String param(String url, String name) {
        Matcher m = Pattern.compile("[?&]" + name + "=([^&]+)").matcher(url);
        assertThat(m.find()).isTrue();
        return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    }

    @Test
    void readinessChecksTheDatabaseAndAlipayLivenessOnlyTheProcess() {
        Api.Response readiness = api.anonymous("GET", "/actuator/health/readiness", null, null);
        assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
        JsonNode components = readiness.json().get("components");
        assertThat(components.get("db").get("status").asString()).isEqualTo("UP");
        assertThat(components.get("alipay").get("status").asString()).isEqualTo("UP");
        Api.Response liveness = api.anonymous("GET", "/actuator/health/liveness", null, null);
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(
                        liveness.json().has("components")
                                ? liveness.json().get("components").has("db")
                                : false)
                .isFalse();
        assertThat(liveness.body()).doesNotContain("alipay");
    }

    /** The PromQL expressions of a Grafana dashboard (targets[].expr) or of a rules file (rules[].expr). */
    private static List<String> expressions(Path file) throws IOException {
        Object tree = file.toString().endsWith(".json")
                ? tools.jackson.databind.json.JsonMapper.builder().build().readValue(file.toFile(), Object.class)
                : new org.yaml.snakeyaml.Yaml().load(Files.readString(file));
        List<String> out = new ArrayList<>();
        collectExpr(tree, out);
        return out;
    }

    private static void collectExpr(Object node, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if ("expr".equals(k) && v instanceof String s) {
                    out.add(s);
                } else {
                    collectExpr(v, out);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectExpr(v, out));
        }
    }

    /** Every metric the Grafana dashboard and the alert rules under deploy/ name is in a real scrape. */
    @Test
    void everyMetricNamedInDeployExists() throws IOException {
        paidQr(uniqueOrderNo(), "1.10"); // timers with tags exist after their first event (a webhook post among them)
        await(
                () -> scrape().names().contains("payments_job_item_seconds_count"),
                Duration.ofSeconds(30),
                () -> "no job item timed");
        Set<String> scraped = scrape().names();
        Path deploy = Path.of("..", "deploy");
        Set<String> named = new TreeSet<>();
        List<Path> files;
        try (var walk = Files.walk(deploy)) {
            files = walk.filter(
                            p -> p.toString().endsWith(".json") || p.toString().endsWith(".yml"))
                    .toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(2);
        Pattern metric = Pattern.compile("\\b((?:payments|alipay|http_server|hikaricp|jvm|process)_[a-z0-9_]+)\\b");
        for (Path f : files) {
            for (String expr : expressions(f)) {
                Matcher m = metric.matcher(expr);
                while (m.find()) {
                    named.add(m.group(1));
                }
            }
        }
        assertThat(named)
                .hasSizeGreaterThan(15)
                .contains(
                        "payments_webhooks_undelivered_oldest_age_seconds",
                        "payments_notifications_received_total",
                        "payments_pending_oldest_age_seconds",
                        "payments_reconciliation_discrepancies_total");
        assertThat(scraped).containsAll(named);
    }
}
