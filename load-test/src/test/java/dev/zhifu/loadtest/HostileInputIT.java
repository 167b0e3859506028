package dev.zhifu.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.alipay.Yuan;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.notify.NotificationSigner;
import dev.zhifu.fixtures.SeededCases;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input against one payment-service instance (the jar, demo mode, H2 opened with AUTO_SERVER so this
 * test can count rows while the service runs): malformed forms, wrong charsets, truncated and oversized
 * bodies, huge, negative and 3-decimal amounts, SQL and script injection, header abuse, on
 * {@code /notify/alipay} and the REST API. For every input: never a 5xx, no change to payments, events,
 * refunds, anomalies or idempotency keys, and a clear answer ({@code failure} from /notify, problem+json with
 * a {@code code} from /api; a request the web container refuses before the application, such as a header
 * larger than its limit, may get the container's plain 400, counted apart).
 *
 * <p>What the service records of refused notifications is left out of that comparison, as it may grow: a
 * notification that does not verify (malformed, unsigned, forged) is kept only as bounded evidence in
 * {@code refused_notifications} (reason, size, SHA-256, a 256-byte prefix; at most
 * {@value #EVIDENCE_PER_SOURCE} rows per source address, which this suite checks), and one that verifies but is
 * refused (a hostile amount or an injected field, signed with the demo's Alipay key) is recorded in
 * {@code received_notifications}, which holds verified notifications only.
 *
 * <p>Inputs are drawn by {@link SeededCases}: the same ones on every run, the seed of each in its name.
 */
class HostileInputIT {

    static final String SEED_OUT_TRADE_NO = "hostile-seed-1";
    static final String SEED_AMOUNT = "9.90";
    static final String SEED_SUBJECT = "咖啡 coffee";
    /** payments.notify.evidence-per-source as the service has it by default (this suite does not set it). */
    static final int EVIDENCE_PER_SOURCE = 100;

    static ServiceProcess service;
    static RawHttp raw;
    static String apiKey;
    static String seedId;
    static NotificationSigner alipay;
    static NotificationSigner stranger;
    static Connection db;
    static final Map<String, AtomicInteger> TRIED = new ConcurrentHashMap<>();
    static final Map<String, Map<String, AtomicInteger>> ANSWERS = new ConcurrentHashMap<>();
    static final AtomicInteger CONTAINER_REFUSALS = new AtomicInteger();
    static volatile String baseline;
    static String initial;

    static final List<String> INJECTIONS = List.of(
            "' OR '1'='1",
            "'; DROP TABLE payments; --",
            "\" OR \"\"=\"",
            "1; DELETE FROM payment_events",
            "' UNION SELECT id, status FROM payments --",
            "admin'--",
            "1' AND SLEEP(5)--",
            "'; SELECT pg_sleep(5);--",
            "%27%20OR%201%3D1",
            "$(reboot)",
            "`id`",
            "${jndi:ldap://127.0.0.1/x}",
            "#{7*7}",
            "{{7*7}}",
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "javascript:alert(1)",
            "../../../../etc/passwd",
            "..%2f..%2fetc%2fpasswd",
            "\u0000",
            "%00",
            "\r\nX-Injected: 1",
            "\\",
            "'",
            "\"",
            "NULL",
            "null",
            "-1",
            "1e309",
            "0x7fffffff",
            "🙂",
            "\uFEFF",
            "\u202Eevil",
            "蛋".repeat(300));

    @BeforeAll
    static void start() throws Exception {
        Path jar = Path.of(System.getProperty("loadtest.service-jar", "../payment-service/target/payment-service.jar"));
        Path work = Files.createDirectories(Path.of(System.getProperty("loadtest.work-dir", "target/it-work")))
                .resolve("hostile-" + System.currentTimeMillis());
        Path data = work.resolve("data");
        DemoKeyFiles.generate(data);
        String url = "jdbc:h2:file:" + data.toAbsolutePath() + "/payments;LOCK_TIMEOUT=10000;AUTO_SERVER=TRUE";
        service = ServiceProcess.start(new ServiceProcess.Spec(
                jar,
                ServiceProcess.freePort(),
                data,
                // the refusal rate limit per address would answer most of the suite 429 before its input is read:
                // lifted here so that every input reaches the application (the limit has its own tests)
                List.of(
                        "--spring.datasource.url=" + url,
                        "--payments.notify.refusals-per-minute=1000000",
                        "--payments.notify.refusal-burst=1000000"),
                List.of("-Xmx512m"),
                work.resolve("service.log")));
        service.awaitReady(Duration.ofSeconds(120));
        raw = new RawHttp(service.spec().port());
        apiKey = DemoKeyFiles.apiKey(data);
        alipay = new NotificationSigner(DemoKeyFiles.alipayPrivateKey(data));
        stranger = new NotificationSigner(AlipayKeys.generateRsa2048().getPrivate());
        RawHttp.Response created = raw.send(
                "POST",
                "/api/v1/payments",
                Map.of("Authorization", bytes("Bearer " + apiKey), "Content-Type", bytes("application/json")),
                ("{\"out_trade_no\":\"" + SEED_OUT_TRADE_NO + "\",\"amount\":\"" + SEED_AMOUNT + "\",\"subject\":\""
                                + SEED_SUBJECT + "\",\"method\":\"qr\"}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        seedId = Json.object(created.text()).get("id").toString();
        db = DriverManager.getConnection(url, "sa", "");
        baseline = snapshot();
        initial = baseline;
        System.out.println("[hostile] service on port " + service.spec().port() + ", seed payment " + seedId
                + " PENDING; state " + baseline);
    }

    @AfterAll
    static void stop() throws SQLException {
        try {
            System.out.println("[hostile] --- inputs tried per class (answers) ---");
            new TreeMap<>(TRIED)
                    .forEach((k, v) -> System.out.printf(
                            "[hostile] %-34s %5d  %s%n", k, v.get(), new TreeMap<>(ANSWERS.getOrDefault(k, Map.of()))));
            System.out.printf(
                    "[hostile] total %d inputs; refused by the web container before the application: %d%n",
                    TRIED.values().stream().mapToInt(AtomicInteger::get).sum(), CONTAINER_REFUSALS.get());
            if (db != null) {
                System.out.println("[hostile] state after: " + snapshot() + " (before: " + initial + ")");
                System.out.println("[hostile] refused_notifications (evidence, bounded): "
                        + count("refused_notifications") + "; received_notifications (verified, then refused): "
                        + count("received_notifications"));
                db.close();
            }
        } finally {
            if (service != null) {
                service.close();
            }
        }
    }

    // ---------------------------------------------------------------- /notify/alipay

    @ParameterizedTest
    @MethodSource("notifyMalformedFormCases")
    void notifyMalformedForm(byte[] body) {
        expectFailure("notify: malformed form", notify(body, "application/x-www-form-urlencoded; charset=utf-8"));
    }

    @ParameterizedTest
    @MethodSource("notifyWrongCharsetCases")
    void notifyWrongCharset(byte[] body) {
        expectFailure("notify: wrong charset", notify(body, "application/x-www-form-urlencoded"));
    }

    @ParameterizedTest
    @MethodSource("notifyTruncatedCases")
    void notifyTruncated(byte[] body) {
        expectFailure("notify: truncated body", notify(body, "application/x-www-form-urlencoded; charset=utf-8"));
    }

    @ParameterizedTest
    @MethodSource("notifyOversizedCases")
    void notifyOversized(byte[] body) {
        expectFailure("notify: oversized body", notify(body, "application/x-www-form-urlencoded; charset=utf-8"));
    }

    @ParameterizedTest
    @MethodSource("notifyHostileAmountCases")
    void notifyHostileAmount(String amount) {
        Map<String, String> p = seedNotification();
        p.put("total_amount", amount);
        p.put("receipt_amount", amount);
        expectFailure(
                "notify: hostile amount (signed)", notify(alipay.formBody(p), "application/x-www-form-urlencoded"));
    }

    @ParameterizedTest
    @MethodSource("notifyInjectionCases")
    void notifyInjection(String value, String field) {
        Map<String, String> p = seedNotification();
        if (value.equals(p.get(field))) {
            return;
        }
        p.put(field, value);
        expectFailure("notify: injection (signed)", notify(alipay.formBody(p), "application/x-www-form-urlencoded"));
    }

    @ParameterizedTest
    @MethodSource("notifyForgedCases")
    void notifyForged(byte[] body) {
        expectFailure("notify: forged signature", notify(body, "application/x-www-form-urlencoded"));
    }

    @ParameterizedTest
    @MethodSource("notifyHeaderAbuseCases")
    void notifyHeaderAbuse(Map<String, byte[]> headers) {
        // a body that must be refused whatever the headers say: the seed's notification with its signature cut
        byte[] body = alipay.formBody(seedNotification());
        body = Arrays.copyOf(body, body.length - 5);
        RawHttp.Response r = raw.send("POST", "/notify/alipay", headers, body);
        expectFailure("notify: header abuse", r);
    }

    // ---------------------------------------------------------------- REST API

    @ParameterizedTest
    @MethodSource("apiMalformedJsonCases")
    void apiMalformedJson(byte[] body) {
        expectProblem("api: malformed JSON", createRaw(body, "application/json"), 400);
    }

    @ParameterizedTest
    @MethodSource("apiHostileAmountCases")
    void apiHostileAmount(String amountJson) {
        expectProblem(
                "api: hostile amount",
                createRaw(
                        ("{\"amount\":" + amountJson + ",\"subject\":\"Coffee\",\"method\":\"qr\"}")
                                .getBytes(StandardCharsets.UTF_8),
                        "application/json"),
                400);
    }

    @ParameterizedTest
    @MethodSource("apiInjectionCases")
    void apiInjection(String value, String place) {
        if (place.equals("out_trade_no") && value.matches("[A-Za-z0-9_-]{1,64}")) {
            return; // "NULL" or "-1" are order numbers a merchant may really use
        }
        String json = json(value);
        RawHttp.Response r = switch (place) {
            case "out_trade_no" ->
                createRaw(
                        body("\"out_trade_no\":" + json + ",\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\""));
            case "method" -> createRaw(body("\"amount\":\"1.00\",\"subject\":\"x\",\"method\":" + json));
            case "auth_code" ->
                createRaw(body("\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"barcode\",\"auth_code\":" + json));
            case "return_url" ->
                createRaw(body("\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"page\",\"return_url\":" + json));
            case "subject+bad_amount" ->
                createRaw(body("\"amount\":\"1.001\",\"subject\":" + json + ",\"method\":\"qr\""));
            case "field_name" ->
                createRaw(body("\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\"," + json + ":1"));
            case "path_id" -> api("GET", "/api/v1/payments/" + url(value), null);
            case "close_id" -> api("POST", "/api/v1/payments/" + url(value) + "/close", new byte[0]);
            case "refund_id" ->
                api(
                        "POST",
                        "/api/v1/payments/" + url(value) + "/refunds",
                        "{\"amount\":\"1.00\"}".getBytes(StandardCharsets.UTF_8));
            case "query" -> api("GET", "/api/v1/payments?out_trade_no=" + url(value), null);
            case "events_query" -> api("GET", "/api/v1/events?limit=" + url(value), null);
            default -> throw new IllegalStateException(place);
        };
        if (place.equals("query") && r.status() == 200) {
            return; // cannot happen (no such order), but a 200 listing would be no harm
        }
        if (place.equals("path_id")
                || place.equals("close_id")
                || place.equals("refund_id")
                || place.equals("query")
                || place.equals("events_query")) {
            expectProblem("api: injection in path/query", r, 0);
        } else {
            expectProblem("api: injection in body", r, 400);
        }
    }

    @ParameterizedTest
    @MethodSource("apiBadAuthorizationCases")
    void apiBadAuthorization(byte[] authorization) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        if (authorization.length > 0) {
            h.put("Authorization", authorization);
        }
        h.put("Content-Type", bytes("application/json"));
        expectProblem("api: bad Authorization", raw.send("POST", "/api/v1/payments", h, validCreate()), 401);
    }

    @ParameterizedTest
    @MethodSource("apiBadIdempotencyKeyCases")
    void apiBadIdempotencyKey(byte[] key) {
        Map<String, byte[]> h = authJson();
        h.put("Idempotency-Key", key);
        expectProblem("api: bad Idempotency-Key", raw.send("POST", "/api/v1/payments", h, validCreate()), 400);
    }

    @ParameterizedTest
    @MethodSource("apiBadContentTypeCases")
    void apiBadContentType(String contentType) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put("Authorization", bytes("Bearer " + apiKey));
        if (!contentType.isEmpty()) {
            h.put("Content-Type", bytes(contentType));
        }
        expectProblem("api: bad Content-Type", raw.send("POST", "/api/v1/payments", h, validCreate()), 0);
    }

    @ParameterizedTest
    @MethodSource("apiGiantHeadersCases")
    void apiGiantHeaders(Map<String, byte[]> extra) {
        Map<String, byte[]> h = authJson();
        h.putAll(extra);
        expectProblem("api: giant headers", raw.send("POST", "/api/v1/payments", h, validCreate()), 0);
    }

    @ParameterizedTest
    @MethodSource("apiWrongCharsetCases")
    void apiWrongCharset(byte[] body) {
        expectProblem("api: wrong charset", createRaw(body, "application/json; charset=utf-8"), 400);
    }

    @ParameterizedTest
    @MethodSource("apiOversizedCases")
    void apiOversized(byte[] body) {
        expectProblem("api: oversized body", createRaw(body, "application/json"), 0);
    }

    // ---------------------------------------------------------------- expectations

    private static void expectFailure(String kind, RawHttp.Response r) {
        record(kind, r);
        assertUnchanged(kind);
        assertThat(r.status()).as(kind + ": no 5xx; " + describe(r)).isLessThan(500);
        if (r.status() == 200) {
            assertThat(r.text()).as(kind + ": the answer").isEqualTo("failure");
        } else if (r.text().equals("failure")) {
            // refused by the endpoint before reading the body: only for a body over payments.notify.max-body-size
            assertThat(r.status())
                    .as(kind + ": refused before reading; " + describe(r))
                    .isEqualTo(413);
        } else if (r.status() == 413 && r.contentType().startsWith("application/problem+json")) {
            // over payments.http.max-body-size: refused before it is received, on any path
            assertThat(r.text()).as(kind + "; " + describe(r)).contains("\"code\":\"payload_too_large\"");
        } else {
            assertThat(r.status())
                    .as(kind + ": refused by the web container; " + describe(r))
                    .isEqualTo(400);
            CONTAINER_REFUSALS.incrementAndGet();
        }
    }

    /** @param status the expected status, or 0 for any 4xx */
    private static void expectProblem(String kind, RawHttp.Response r, int status) {
        record(kind, r);
        assertUnchanged(kind);
        assertThat(r.status()).as(kind + ": no 5xx; " + describe(r)).isLessThan(500);
        assertThat(r.status()).as(kind + ": a refusal; " + describe(r)).isBetween(400, 499);
        if (status != 0) {
            assertThat(r.status()).as(kind + "; " + describe(r)).isEqualTo(status);
        }
        if (r.contentType().startsWith("application/problem+json")) {
            Object code = Json.object(r.text()).get("code");
            assertThat(code)
                    .as(kind + ": problem+json with a code; " + describe(r))
                    .isInstanceOf(String.class);
            assertThat((String) code).isNotBlank();
        } else {
            // only the web container's own refusals (before any application code) may lack problem+json
            assertThat(r.status())
                    .as(kind + ": problem+json expected; " + describe(r))
                    .isEqualTo(400);
            assertThat(r.text())
                    .as(kind + ": not an application answer; " + describe(r))
                    .doesNotContain("\"code\"");
            CONTAINER_REFUSALS.incrementAndGet();
        }
    }

    private static void record(String kind, RawHttp.Response r) {
        TRIED.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        String answer = r.status() == 0
                ? "no answer"
                : r.status() == 200
                        ? "200 " + r.text()
                        : r.contentType().startsWith("application/problem+json")
                                ? r.status() + " " + Json.object(r.text()).get("code")
                                : r.text().equals("failure")
                                        ? r.status() + " failure"
                                        : r.status() + (r.status() >= 400 ? " (container)" : " " + r.contentType());
        ANSWERS.computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(answer, k -> new AtomicInteger())
                .incrementAndGet();
    }

    /**
     * Compares with the state before this input; a change fails this input only (the next compares anew). The
     * evidence of refused notifications may grow, within its bound: every input comes from one address.
     */
    private static void assertUnchanged(String kind) {
        String before = baseline;
        String now = snapshot();
        baseline = now;
        assertThat(now)
                .as(kind + ": payments, events, refunds, anomalies, idempotency keys unchanged")
                .isEqualTo(before);
        assertThat(count("refused_notifications"))
                .as(kind + ": evidence of refused notifications stays bounded")
                .isLessThanOrEqualTo(EVIDENCE_PER_SOURCE);
    }

    static int count(String table) {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(RawHttp.Response r) {
        String text = r.text();
        return "HTTP " + r.status() + " " + r.contentType() + " "
                + (text.length() > 300 ? text.substring(0, 300) : text)
                + (r.problem() == null ? "" : " [" + r.problem() + "]");
    }

    static String snapshot() {
        try (Statement st = db.createStatement()) {
            StringBuilder s = new StringBuilder();
            for (String table :
                    List.of("payments", "payment_events", "refunds", "payment_anomalies", "idempotency_keys")) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    s.append(table).append('=').append(rs.getInt(1)).append(' ');
                }
            }
            try (ResultSet rs = st.executeQuery(
                    "SELECT id, status, amount, refunded_amount, trade_no, subject FROM payments ORDER BY id")) {
                while (rs.next()) {
                    s.append('[')
                            .append(rs.getString(1))
                            .append(' ')
                            .append(rs.getString(2))
                            .append(' ')
                            .append(rs.getBigDecimal(3))
                            .append(' ')
                            .append(rs.getBigDecimal(4))
                            .append(' ')
                            .append(rs.getString(5))
                            .append(' ')
                            .append(rs.getString(6))
                            .append(']');
                }
            }
            return s.toString();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- requests

    private static RawHttp.Response notify(byte[] body, String contentType) {
        return raw.send("POST", "/notify/alipay", Map.of("Content-Type", bytes(contentType)), body);
    }

    private static RawHttp.Response createRaw(byte[] body) {
        return createRaw(body, "application/json");
    }

    private static RawHttp.Response createRaw(byte[] body, String contentType) {
        Map<String, byte[]> h = authJson();
        h.put("Content-Type", bytes(contentType));
        return raw.send("POST", "/api/v1/payments", h, body);
    }

    private static RawHttp.Response api(String method, String path, byte[] body) {
        return raw.send(method, path, authJson(), body);
    }

    private static Map<String, byte[]> authJson() {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put("Authorization", bytes("Bearer " + apiKey));
        h.put("Content-Type", bytes("application/json"));
        return h;
    }

    private static byte[] validCreate() {
        return "{\"amount\":\"1.00\",\"subject\":\"Coffee\",\"method\":\"qr\"}".getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] body(String members) {
        return ("{" + members + "}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A JSON string literal. */
    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** The seed payment's TRADE_SUCCESS as Alipay would send it (valid: only a change makes it hostile). */
    static Map<String, String> seedNotification() {
        Map<String, String> p = AlipayNotifications.tradeSuccess(SEED_OUT_TRADE_NO, SEED_AMOUNT);
        p.put("subject", SEED_SUBJECT);
        return p;
    }

    // ---------------------------------------------------------------- cases
    // Each test's inputs: as many as the suite has always tried per class (BENCHMARKS.md, hostile input), drawn
    // by SeededCases (fixed seed, the case's seed in its name). The two small finite classes (header abuse: 9
    // content types x 6 sizes; bad content types: 14) are enumerated whole rather than drawn.

    static Stream<Arguments> notifyMalformedFormCases() {
        return SeededCases.of(300, r -> new Object[] {malformedForm(r)});
    }

    static Stream<Arguments> notifyWrongCharsetCases() {
        return SeededCases.of(120, r -> new Object[] {wrongCharset(r)});
    }

    static Stream<Arguments> notifyTruncatedCases() {
        return SeededCases.of(200, r -> new Object[] {truncation(r)});
    }

    static Stream<Arguments> notifyOversizedCases() {
        return SeededCases.of(40, r -> new Object[] {oversized(r)});
    }

    static Stream<Arguments> notifyHostileAmountCases() {
        return SeededCases.of(150, r -> new Object[] {hostileAmount(r)});
    }

    static Stream<Arguments> notifyInjectionCases() {
        return SeededCases.of(200, r -> new Object[] {
            injection(r), SeededCases.oneOf(r, "out_trade_no", "app_id", "trade_status", "notify_time", "gmt_payment")
        });
    }

    static Stream<Arguments> notifyForgedCases() {
        return SeededCases.of(100, r -> new Object[] {forgery(r)});
    }

    static Stream<Arguments> notifyHeaderAbuseCases() {
        List<String> contentTypes = List.of(
                "application/json",
                "text/plain",
                "multipart/form-data; boundary=x",
                "application/x-www-form-urlencoded; charset=bogus",
                "application/x-www-form-urlencoded; charset=utf-16",
                "",
                "*/*",
                "application/x-www-form-urlencoded; charset=' OR 1=1",
                "text/html; charset=gbk");
        List<Integer> giant = List.of(0, 0, 2_000, 7_000, 9_000, 40_000);
        return IntStream.range(0, contentTypes.size() * giant.size()).mapToObj(i -> {
            String ct = contentTypes.get(i / giant.size());
            int size = giant.get(i % giant.size());
            Map<String, byte[]> h = new LinkedHashMap<>();
            if (!ct.isEmpty()) {
                h.put("Content-Type", bytes(ct));
            }
            if (size > 0) {
                h.put("X-Junk", bytes("x".repeat(size)));
            }
            return Arguments.argumentSet("Content-Type '" + ct + "', X-Junk " + size + " B", h);
        });
    }

    static Stream<Arguments> apiMalformedJsonCases() {
        return SeededCases.of(250, r -> new Object[] {malformedJson(r)});
    }

    static Stream<Arguments> apiHostileAmountCases() {
        return SeededCases.of(200, r -> new Object[] {hostileAmountJson(r)});
    }

    static Stream<Arguments> apiInjectionCases() {
        return SeededCases.of(250, r -> new Object[] {
            injection(r),
            SeededCases.oneOf(
                    r,
                    "out_trade_no",
                    "method",
                    "auth_code",
                    "return_url",
                    "subject+bad_amount",
                    "field_name",
                    "path_id",
                    "close_id",
                    "refund_id",
                    "query",
                    "events_query")
        });
    }

    static Stream<Arguments> apiBadAuthorizationCases() {
        return SeededCases.of(120, r -> new Object[] {badAuthorization(r)});
    }

    static Stream<Arguments> apiBadIdempotencyKeyCases() {
        return SeededCases.of(100, r -> new Object[] {badIdempotencyKey(r)});
    }

    static Stream<Arguments> apiBadContentTypeCases() {
        return Stream.of(
                        "",
                        "text/plain",
                        "application/xml",
                        "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=zz",
                        "application/json; charset=bogus",
                        "application/octet-stream",
                        "json",
                        "/",
                        "application/",
                        "application/json; charset=\"",
                        "text/html; charset=gbk",
                        "application/x-ndjson",
                        "image/png")
                .map(ct -> Arguments.argumentSet("Content-Type '" + ct + "'", ct));
    }

    static Stream<Arguments> apiGiantHeadersCases() {
        return SeededCases.of(60, r -> {
            Map<String, byte[]> h = new LinkedHashMap<>();
            h.put("X-Junk", bytes("j".repeat(9_000 + r.nextInt(200_000 - 9_000 + 1))));
            return new Object[] {h};
        });
    }

    static Stream<Arguments> apiWrongCharsetCases() {
        return SeededCases.of(100, r -> new Object[] {wrongCharsetJson(r)});
    }

    static Stream<Arguments> apiOversizedCases() {
        return SeededCases.of(30, r -> {
            int n = 300_000 + r.nextInt(3_000_000 - 300_000 + 1);
            return new Object[] {
                ("{\"amount\":\"1.00\",\"method\":\"qr\",\"subject\":\"" + "s".repeat(n) + "\"}")
                        .getBytes(StandardCharsets.US_ASCII)
            };
        });
    }

    // ---------------------------------------------------------------- generators

    static byte[] malformedForm(Random r) {
        List<String> pieces = SeededCases.list(r, 0, 6, x -> switch (x.nextInt(4)) {
            case 0 -> SeededCases.anyString(x, 200);
            case 1 -> SeededCases.string(x, 120, y -> "=&%+;ZZ09az_".charAt(y.nextInt(12)));
            case 2 ->
                SeededCases.oneOf(
                        x,
                        "%",
                        "%z",
                        "%zz",
                        "%C3%28",
                        "%E2%82",
                        "%FF%FE",
                        "sign=",
                        "sign_type=RSA2&sign=%%%",
                        "&&&&",
                        "====",
                        "a=b=c",
                        "=x",
                        "charset=",
                        "out_trade_no=" + SEED_OUT_TRADE_NO,
                        "\u0000\u0000");
            default -> {
                String s = SeededCases.oneOf(x, INJECTIONS);
                yield "out_trade_no=" + s + "&sign=" + s;
            }
        });
        Charset cs = SeededCases.oneOf(
                r,
                StandardCharsets.UTF_8,
                StandardCharsets.ISO_8859_1,
                Charset.forName("GBK"),
                StandardCharsets.UTF_16);
        return String.join("&", pieces).getBytes(cs);
    }

    static byte[] wrongCharset(Random r) {
        if (r.nextBoolean()) {
            // signed over the UTF-8 content, then the body claims another charset or is encoded in another
            String name = r.nextBoolean()
                    ? SeededCases.oneOf(
                            r,
                            "gbk",
                            "GB2312",
                            "big5",
                            "iso-8859-1",
                            "utf-16",
                            "utf-9",
                            "x-unknown",
                            "",
                            " ",
                            "utf-8\u0000",
                            "../../etc",
                            "' OR 1=1")
                    : letters(r);
            Charset enc = SeededCases.oneOf(
                    r,
                    StandardCharsets.UTF_8,
                    Charset.forName("GBK"),
                    StandardCharsets.ISO_8859_1,
                    StandardCharsets.UTF_16BE);
            Map<String, String> signed = alipay.sign(seedNotification());
            signed.put("charset", name);
            boolean utf16 = enc.equals(StandardCharsets.UTF_16BE);
            String form = NotificationSigner.encode(signed, utf16 ? StandardCharsets.UTF_8 : enc);
            return form.getBytes(utf16 ? enc : StandardCharsets.US_ASCII);
        }
        // correctly signed in the charset it names, but the values are percent-encoded in another one
        String name = SeededCases.oneOf(r, "gbk", "utf-8", "gb2312");
        Map<String, String> p = seedNotification();
        p.put("charset", name);
        Map<String, String> signed = alipay.sign(p);
        Charset wrong = name.equals("utf-8") ? Charset.forName("GBK") : StandardCharsets.UTF_8;
        return NotificationSigner.encode(signed, wrong).getBytes(StandardCharsets.US_ASCII);
    }

    /** 1..20 ASCII letters: a charset name the JDK may or may not know. */
    private static String letters(Random r) {
        String name;
        do {
            name = SeededCases.string(
                    r, 20, x -> x.nextBoolean() ? SeededCases.between(x, 'a', 'z') : SeededCases.between(x, 'A', 'Z'));
        } while (name.isEmpty());
        return name;
    }

    static byte[] truncation(Random r) {
        byte[] full = alipay.formBody(seedNotification());
        // the last 6 bytes are the signature's base64 padding "%3D%3D": without them the signature bytes are
        // the same, so such a body is still Alipay's signed notification (BENCHMARKS.md, hostile input notes)
        return Arrays.copyOf(full, r.nextInt(100_001) % (full.length - 6));
    }

    static byte[] oversized(Random r) {
        int extra = 1 + r.nextInt(1024 * 1024);
        byte[] valid = alipay.formBody(seedNotification());
        byte[] big = Arrays.copyOf(valid, valid.length + 64 * 1024 + extra);
        byte[] pad = "&pad=".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(pad, 0, big, valid.length, pad.length);
        Arrays.fill(big, valid.length + pad.length, big.length, (byte) 'a');
        return big;
    }

    /** Anything but the seed's own amount: fixed oddities, 3-decimal amounts to ±1e12, negative 2-decimal ones. */
    static String hostileAmount(Random r) {
        String amount;
        do {
            amount = switch (r.nextInt(3)) {
                case 0 ->
                    SeededCases.oneOf(
                            r,
                            "-9.90",
                            "-0.01",
                            "9.901",
                            "9.899",
                            "9.9001",
                            "0",
                            "0.00",
                            "-0",
                            "99.0",
                            "990",
                            "1e30",
                            "9.9e1",
                            "1E+999999999",
                            "1e2147483648",
                            "NaN",
                            "Infinity",
                            "-Infinity",
                            "9,90",
                            "9.90x",
                            "0x9",
                            "9.90 ",
                            "九点九",
                            "９.９０",
                            "",
                            " ",
                            "9..90",
                            "+9.91",
                            "99999999999999999999999999999999.99",
                            "1" + "0".repeat(400),
                            "9." + "9".repeat(500));
                case 1 ->
                    BigDecimal.valueOf(r.nextLong(-1_000_000_000_000_000L, 1_000_000_000_000_001L), 3)
                            .toPlainString();
                default -> BigDecimal.valueOf(r.nextLong(-100_000_000L, 0L), 2).toPlainString();
            };
        } while (!notTheSeedAmount(amount));
        return amount;
    }

    /** What the API must refuse: not an amount by Alipay's rule (Yuan), once surrounding spaces are gone. */
    static boolean invalidApiAmount(String s) {
        return Yuan.parse(s.strip()) == null;
    }

    static boolean notTheSeedAmount(String s) {
        try {
            return new BigDecimal(s.strip()).compareTo(new BigDecimal(SEED_AMOUNT)) != 0;
        } catch (RuntimeException notANumber) {
            return true;
        }
    }

    static String injection(Random r) {
        String known = SeededCases.oneOf(r, INJECTIONS);
        return r.nextBoolean() ? known : SeededCases.anyString(r, 20) + known;
    }

    static byte[] forgery(Random r) {
        String kind = SeededCases.oneOf(
                r, "stranger-key", "random-sign", "no-sign", "sign-of-other", "sign-type-rsa-bad", "empty-sign");
        Map<String, String> p = seedNotification();
        Map<String, String> signed = switch (kind) {
            case "stranger-key" -> stranger.sign(p);
            case "random-sign" -> {
                Map<String, String> s = alipay.sign(p);
                byte[] junk = new byte[256];
                r.nextBytes(junk);
                s.put("sign", Base64.getEncoder().encodeToString(junk));
                yield s;
            }
            case "no-sign" -> {
                Map<String, String> s = alipay.sign(p);
                s.remove("sign");
                yield s;
            }
            case "sign-of-other" -> {
                Map<String, String> other = new LinkedHashMap<>(p);
                other.put("total_amount", "0.01");
                Map<String, String> s = alipay.sign(p);
                s.put("sign", alipay.sign(other).get("sign"));
                yield s;
            }
            case "sign-type-rsa-bad" -> {
                Map<String, String> s = alipay.sign(p);
                s.put("sign_type", "MD5");
                s.put("sign", "0123456789abcdef0123456789abcdef");
                yield s;
            }
            default -> {
                Map<String, String> s = alipay.sign(p);
                s.put("sign", "");
                yield s;
            }
        };
        return NotificationSigner.encode(signed, StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] malformedJson(Random r) {
        String valid = "{\"amount\":\"1.00\",\"subject\":\"Coffee\",\"method\":\"qr\"}";
        return switch (r.nextInt(3)) {
            case 0 -> {
                String s;
                do {
                    s = SeededCases.anyString(r, 200);
                } while (s.isBlank());
                yield s.getBytes(StandardCharsets.UTF_8);
            }
            case 1 -> valid.substring(0, r.nextInt(valid.length())).getBytes(StandardCharsets.UTF_8);
            default ->
                SeededCases.oneOf(
                                r,
                                "[]",
                                "[" + valid + "]",
                                "null",
                                "1",
                                "\"x\"",
                                "true",
                                "{}",
                                "{\"amount\":{}}",
                                "{\"amount\":[\"1.00\"],\"subject\":\"x\",\"method\":\"qr\"}",
                                "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\",\"amout\":\"1\"}",
                                "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\",\"metadata\":\"notanobject\"}",
                                "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\",\"expire_minutes\":\"soon\"}",
                                "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\",\"expire_minutes\":99999999999999999999}",
                                "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\",\"expire_minutes\":1.5e3}",
                                "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\",\"metadata\":"
                                        + "[".repeat(5000) + "]".repeat(5000) + "}",
                                "[".repeat(20000),
                                "{\"a\":".repeat(3000),
                                "\uFEFF{\"amount\":\"1.00\"",
                                "{'amount':'1.00','subject':'x','method':'qr'}",
                                "{\"amount\":\"1.00\",}",
                                "\u0000\u0000")
                        .getBytes(StandardCharsets.UTF_8);
        };
    }

    static String hostileAmountJson(Random r) {
        if (r.nextBoolean()) {
            String amount;
            do {
                amount = hostileAmount(r);
            } while (!invalidApiAmount(amount));
            return json(amount);
        }
        return SeededCases.oneOf(
                r,
                "-1",
                "-0.01",
                "0",
                "1.001",
                "1e400",
                "-1e400",
                "1" + "0".repeat(2000),
                "100000000.01",
                "0.001",
                "true",
                "null",
                "[]",
                "{}",
                "\"100000000.01\"",
                "\"0.00\"",
                "\"1.001\"",
                "\"-1.00\"",
                "\"1e2\"",
                "\"0x10\"",
                "\"1.0.0\"",
                "\"１.００\"");
    }

    static byte[] badAuthorization(Random r) {
        return switch (r.nextInt(5)) {
            case 0 ->
                bytes(SeededCases.oneOf(
                        r,
                        "",
                        "Bearer",
                        "Bearer ",
                        "Basic dXNlcjpwYXNz",
                        "bearer",
                        "Token abc",
                        "Bearer null",
                        "Bearer undefined",
                        "Bearer ' OR '1'='1",
                        "Bearer <script>"));
            case 1 -> {
                String s;
                do {
                    s = SeededCases.string(r, 100, x -> SeededCases.between(x, '!', '~'));
                } while (s.isEmpty());
                yield bytes("Bearer " + s);
            }
            case 2 -> bytes("Bearer " + "k".repeat(100 + r.nextInt(7_000 - 100 + 1)));
            case 3 ->
                switch (r.nextInt(3)) {
                    case 0 -> bytes("Bearer " + apiKey + "x");
                    case 1 -> bytes("Bearer " + apiKey.substring(0, apiKey.length() - 1));
                    default -> bytes("Bearer " + apiKey.toUpperCase(java.util.Locale.ROOT));
                };
            default -> bytes(SeededCases.oneOf(r, "Bearer \u00e9\u00e8", "Bearer \u00ff\u00fe"));
        };
    }

    static byte[] badIdempotencyKey(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> bytes("k".repeat(256 + r.nextInt(6_000 - 256 + 1)));
            case 1 -> {
                List<String> usable = INJECTIONS.stream()
                        .filter(s -> !s.isBlank() && s.length() < 200 && s.indexOf('\r') < 0 && s.indexOf('\n') < 0)
                        .toList();
                yield bytes("key " + SeededCases.oneOf(r, usable));
            }
            case 2 ->
                bytes(SeededCases.oneOf(r, "a b", "caf\u00e9", "\u00ff\u00fe", "tab\there", "\u0001x", "x\u007f"));
            default -> SeededCases.oneOf(r, "键", "🙂").getBytes(StandardCharsets.UTF_8);
        };
    }

    static byte[] wrongCharsetJson(Random r) {
        if (r.nextBoolean()) {
            // Chinese subject in GBK bytes while the request says UTF-8
            return concat(
                    "{\"amount\":\"1.00\",\"method\":\"qr\",\"subject\":\"".getBytes(StandardCharsets.US_ASCII),
                    SeededCases.oneOf(r, "咖啡", "支付宝测试", "退款").getBytes(Charset.forName("GBK")),
                    "\"}".getBytes(StandardCharsets.US_ASCII));
        }
        // invalid UTF-8 sequences inside a value: random ones, and always the forms lenient decoders
        // turn into text (overlong "v" and NUL, encoded surrogates, beyond U+10FFFF, overlong 3 and 4 bytes)
        byte[] b;
        if (r.nextBoolean()) {
            do {
                b = SeededCases.bytes(r, 1, 8, 0x80, 0xFF);
            } while (validUtf8(b));
        } else {
            b = SeededCases.oneOf(
                    r,
                    new byte[] {(byte) 0xC1, (byte) 0xB6},
                    new byte[] {(byte) 0xC0, (byte) 0x80},
                    new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                    new byte[] {(byte) 0xED, (byte) 0xBF, (byte) 0xBF},
                    new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                    new byte[] {(byte) 0xE0, (byte) 0x81, (byte) 0xB6},
                    new byte[] {(byte) 0xF0, (byte) 0x80, (byte) 0x81, (byte) 0xB6});
        }
        return concat(
                "{\"amount\":\"1.00\",\"method\":\"qr\",\"subject\":\"x".getBytes(StandardCharsets.US_ASCII),
                b,
                "\"}".getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static boolean validUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }
}
