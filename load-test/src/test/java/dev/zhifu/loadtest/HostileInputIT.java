package dev.zhifu.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.notify.NotificationSigner;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile input against one payment-service instance (the jar, demo mode, H2 opened with AUTO_SERVER so this
 * test can count rows while the service runs): malformed forms, wrong charsets, truncated and oversized
 * bodies, huge, negative and 3-decimal amounts, SQL and script injection, header abuse, on
 * {@code /notify/alipay} and the REST API. For every input: never a 5xx, no change to payments, events,
 * refunds, anomalies or idempotency keys, and a clear answer ({@code failure} from /notify, problem+json with
 * a {@code code} from /api; a request the web container refuses before the application, such as a header
 * larger than its limit, may get the container's plain 400, counted apart). {@code received_notifications}
 * does grow: every refused notification is kept for audit, as documented.
 */
class HostileInputIT {

    static final String SEED_OUT_TRADE_NO = "hostile-seed-1";
    static final String SEED_AMOUNT = "9.90";
    static final String SEED_SUBJECT = "咖啡 coffee";

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
            "' OR '1'='1", "'; DROP TABLE payments; --", "\" OR \"\"=\"", "1; DELETE FROM payment_events",
            "' UNION SELECT id, status FROM payments --", "admin'--", "1' AND SLEEP(5)--", "'; SELECT pg_sleep(5);--",
            "%27%20OR%201%3D1", "$(reboot)", "`id`", "${jndi:ldap://127.0.0.1/x}", "#{7*7}", "{{7*7}}",
            "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
            "../../../../etc/passwd", "..%2f..%2fetc%2fpasswd", "\u0000", "%00", "\r\nX-Injected: 1", "\\", "'", "\"",
            "NULL", "null", "-1", "1e309", "0x7fffffff", "🙂", "\uFEFF", "\u202Eevil", "蛋".repeat(300));

    @BeforeContainer
    static void start() throws Exception {
        Path jar = Path.of(System.getProperty("loadtest.service-jar", "../payment-service/target/payment-service.jar"));
        Path work = Files.createDirectories(Path.of(System.getProperty("loadtest.work-dir", "target/it-work")))
                .resolve("hostile-" + System.currentTimeMillis());
        Path data = work.resolve("data");
        DemoKeyFiles.generate(data);
        String url = "jdbc:h2:file:" + data.toAbsolutePath() + "/payments;LOCK_TIMEOUT=10000;AUTO_SERVER=TRUE";
        service = ServiceProcess.start(new ServiceProcess.Spec(jar, ServiceProcess.freePort(), data,
                // the refusal rate limit per address would answer most of the suite 429 before its input is read:
                // lifted here so that every input reaches the application (the limit has its own tests)
                List.of("--spring.datasource.url=" + url, "--payments.expiry-sweep-interval=1h",
                        "--payments.notify.refusals-per-minute=1000000", "--payments.notify.refusal-burst=1000000"),
                List.of("-Xmx512m"),
                work.resolve("service.log")));
        service.awaitReady(Duration.ofSeconds(120));
        raw = new RawHttp(service.spec().port());
        apiKey = DemoKeyFiles.apiKey(data);
        alipay = new NotificationSigner(DemoKeyFiles.alipayPrivateKey(data));
        stranger = new NotificationSigner(AlipayKeys.generateRsa2048().getPrivate());
        RawHttp.Response created = raw.send("POST", "/api/v1/payments", Map.of("Authorization", bytes("Bearer " + apiKey),
                        "Content-Type", bytes("application/json")),
                ("{\"out_trade_no\":\"" + SEED_OUT_TRADE_NO + "\",\"amount\":\"" + SEED_AMOUNT + "\",\"subject\":\""
                        + SEED_SUBJECT + "\",\"method\":\"qr\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        seedId = Json.object(created.text()).get("id").toString();
        db = DriverManager.getConnection(url, "sa", "");
        baseline = snapshot();
        initial = baseline;
        System.out.println("[hostile] service on port " + service.spec().port() + ", seed payment " + seedId
                + " PENDING; state " + baseline);
    }

    @AfterContainer
    static void stop() throws SQLException {
        try {
            System.out.println("[hostile] --- inputs tried per class (answers) ---");
            new TreeMap<>(TRIED).forEach((k, v) -> System.out.printf("[hostile] %-34s %5d  %s%n", k, v.get(),
                    new TreeMap<>(ANSWERS.getOrDefault(k, Map.of()))));
            System.out.printf("[hostile] total %d inputs; refused by the web container before the application: %d%n",
                    TRIED.values().stream().mapToInt(AtomicInteger::get).sum(), CONTAINER_REFUSALS.get());
            if (db != null) {
                System.out.println("[hostile] state after: " + snapshot() + " (before: " + initial + ")");
                db.close();
            }
        } finally {
            if (service != null) {
                service.close();
            }
        }
    }

    // ---------------------------------------------------------------- /notify/alipay

    @Property(tries = 300, shrinking = ShrinkingMode.OFF)
    void notifyMalformedForm(@ForAll("malformedForms") byte[] body) {
        expectFailure("notify: malformed form", notify(body, "application/x-www-form-urlencoded; charset=utf-8"));
    }

    @Property(tries = 120, shrinking = ShrinkingMode.OFF)
    void notifyWrongCharset(@ForAll("wrongCharsets") byte[] body) {
        expectFailure("notify: wrong charset", notify(body, "application/x-www-form-urlencoded"));
    }

    @Property(tries = 200, shrinking = ShrinkingMode.OFF)
    void notifyTruncated(@ForAll("truncations") byte[] body) {
        expectFailure("notify: truncated body", notify(body, "application/x-www-form-urlencoded; charset=utf-8"));
    }

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void notifyOversized(@ForAll("oversized") byte[] body) {
        expectFailure("notify: oversized body", notify(body, "application/x-www-form-urlencoded; charset=utf-8"));
    }

    @Property(tries = 150, shrinking = ShrinkingMode.OFF)
    void notifyHostileAmount(@ForAll("hostileAmounts") String amount) {
        Map<String, String> p = seedNotification();
        p.put("total_amount", amount);
        p.put("receipt_amount", amount);
        expectFailure("notify: hostile amount (signed)", notify(alipay.formBody(p), "application/x-www-form-urlencoded"));
    }

    @Property(tries = 200, shrinking = ShrinkingMode.OFF)
    void notifyInjection(@ForAll("injections") String value, @ForAll("notifyFields") String field) {
        Map<String, String> p = seedNotification();
        if (value.equals(p.get(field))) {
            return;
        }
        p.put(field, value);
        expectFailure("notify: injection (signed)", notify(alipay.formBody(p), "application/x-www-form-urlencoded"));
    }

    @Property(tries = 100, shrinking = ShrinkingMode.OFF, generation = net.jqwik.api.GenerationMode.RANDOMIZED)
    void notifyForged(@ForAll("forgeries") byte[] body) {
        expectFailure("notify: forged signature", notify(body, "application/x-www-form-urlencoded"));
    }

    @Property(tries = 120, shrinking = ShrinkingMode.OFF)
    void notifyHeaderAbuse(@ForAll("headerAbuse") Map<String, byte[]> headers) {
        // a body that must be refused whatever the headers say: the seed's notification with its signature cut
        byte[] body = alipay.formBody(seedNotification());
        body = Arrays.copyOf(body, body.length - 5);
        RawHttp.Response r = raw.send("POST", "/notify/alipay", headers, body);
        expectFailure("notify: header abuse", r);
    }

    // ---------------------------------------------------------------- REST API

    @Property(tries = 250, shrinking = ShrinkingMode.OFF)
    void apiMalformedJson(@ForAll("malformedJson") byte[] body) {
        expectProblem("api: malformed JSON", createRaw(body, "application/json"), 400);
    }

    @Property(tries = 200, shrinking = ShrinkingMode.OFF)
    void apiHostileAmount(@ForAll("hostileAmountJson") String amountJson) {
        expectProblem("api: hostile amount", createRaw(("{\"amount\":" + amountJson
                + ",\"subject\":\"Coffee\",\"method\":\"qr\"}").getBytes(StandardCharsets.UTF_8), "application/json"), 400);
    }

    @Property(tries = 250, shrinking = ShrinkingMode.OFF)
    void apiInjection(@ForAll("injections") String value, @ForAll("apiInjectionPlaces") String place) {
        if (place.equals("out_trade_no") && value.matches("[A-Za-z0-9_-]{1,64}")) {
            return; // "NULL" or "-1" are order numbers a merchant may really use
        }
        String json = json(value);
        RawHttp.Response r = switch (place) {
            case "out_trade_no" -> createRaw(body("\"out_trade_no\":" + json + ",\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\""));
            case "method" -> createRaw(body("\"amount\":\"1.00\",\"subject\":\"x\",\"method\":" + json));
            case "auth_code" -> createRaw(body("\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"barcode\",\"auth_code\":" + json));
            case "return_url" -> createRaw(body("\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"page\",\"return_url\":" + json));
            case "subject+bad_amount" -> createRaw(body("\"amount\":\"1.001\",\"subject\":" + json + ",\"method\":\"qr\""));
            case "field_name" -> createRaw(body("\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\"," + json + ":1"));
            case "path_id" -> api("GET", "/api/v1/payments/" + url(value), null);
            case "close_id" -> api("POST", "/api/v1/payments/" + url(value) + "/close", new byte[0]);
            case "refund_id" -> api("POST", "/api/v1/payments/" + url(value) + "/refunds",
                    "{\"amount\":\"1.00\"}".getBytes(StandardCharsets.UTF_8));
            case "query" -> api("GET", "/api/v1/payments?out_trade_no=" + url(value), null);
            case "events_query" -> api("GET", "/api/v1/events?limit=" + url(value), null);
            default -> throw new IllegalStateException(place);
        };
        if (place.equals("query") && r.status() == 200) {
            return; // cannot happen (no such order), but a 200 listing would be no harm
        }
        if (place.equals("path_id") || place.equals("close_id") || place.equals("refund_id") || place.equals("query")
                || place.equals("events_query")) {
            expectProblem("api: injection in path/query", r, 0);
        } else {
            expectProblem("api: injection in body", r, 400);
        }
    }

    @Property(tries = 120, shrinking = ShrinkingMode.OFF)
    void apiBadAuthorization(@ForAll("badAuthorizations") byte[] authorization) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        if (authorization.length > 0) {
            h.put("Authorization", authorization);
        }
        h.put("Content-Type", bytes("application/json"));
        expectProblem("api: bad Authorization", raw.send("POST", "/api/v1/payments", h, validCreate()), 401);
    }

    @Property(tries = 100, shrinking = ShrinkingMode.OFF)
    void apiBadIdempotencyKey(@ForAll("badIdempotencyKeys") byte[] key) {
        Map<String, byte[]> h = authJson();
        h.put("Idempotency-Key", key);
        expectProblem("api: bad Idempotency-Key", raw.send("POST", "/api/v1/payments", h, validCreate()), 400);
    }

    @Property(tries = 100, shrinking = ShrinkingMode.OFF)
    void apiBadContentType(@ForAll("badContentTypes") String contentType) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put("Authorization", bytes("Bearer " + apiKey));
        if (!contentType.isEmpty()) {
            h.put("Content-Type", bytes(contentType));
        }
        expectProblem("api: bad Content-Type", raw.send("POST", "/api/v1/payments", h, validCreate()), 0);
    }

    @Property(tries = 60, shrinking = ShrinkingMode.OFF)
    void apiGiantHeaders(@ForAll("giantHeaders") Map<String, byte[]> extra) {
        Map<String, byte[]> h = authJson();
        h.putAll(extra);
        expectProblem("api: giant headers", raw.send("POST", "/api/v1/payments", h, validCreate()), 0);
    }

    @Property(tries = 100, shrinking = ShrinkingMode.OFF)
    void apiWrongCharset(@ForAll("wrongCharsetJson") byte[] body) {
        expectProblem("api: wrong charset", createRaw(body, "application/json; charset=utf-8"), 400);
    }

    @Property(tries = 30, shrinking = ShrinkingMode.OFF)
    void apiOversized(@ForAll("oversizedJson") byte[] body) {
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
            assertThat(r.status()).as(kind + ": refused before reading; " + describe(r)).isEqualTo(413);
        } else {
            assertThat(r.status()).as(kind + ": refused by the web container; " + describe(r)).isEqualTo(400);
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
            assertThat(code).as(kind + ": problem+json with a code; " + describe(r)).isInstanceOf(String.class);
            assertThat((String) code).isNotBlank();
        } else {
            // only the web container's own refusals (before any application code) may lack problem+json
            assertThat(r.status()).as(kind + ": problem+json expected; " + describe(r)).isEqualTo(400);
            assertThat(r.text()).as(kind + ": not an application answer; " + describe(r)).doesNotContain("\"code\"");
            CONTAINER_REFUSALS.incrementAndGet();
        }
    }

    private static void record(String kind, RawHttp.Response r) {
        TRIED.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        String answer = r.status() == 0 ? "no answer" : r.status() == 200 ? "200 " + r.text()
                : r.contentType().startsWith("application/problem+json")
                ? r.status() + " " + Json.object(r.text()).get("code")
                : r.text().equals("failure") ? r.status() + " failure"
                : r.status() + (r.status() >= 400 ? " (container)" : " " + r.contentType());
        ANSWERS.computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(answer, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Compares with the state before this input; a change fails this input only (the next compares anew). */
    private static void assertUnchanged(String kind) {
        String before = baseline;
        String now = snapshot();
        baseline = now;
        assertThat(now).as(kind + ": payments, events, refunds, anomalies, idempotency keys unchanged")
                .isEqualTo(before);
    }

    private static String describe(RawHttp.Response r) {
        String text = r.text();
        return "HTTP " + r.status() + " " + r.contentType() + " " + (text.length() > 300 ? text.substring(0, 300) : text)
                + (r.problem() == null ? "" : " [" + r.problem() + "]");
    }

    static String snapshot() {
        try (Statement st = db.createStatement()) {
            StringBuilder s = new StringBuilder();
            for (String table : List.of("payments", "payment_events", "refunds", "payment_anomalies", "idempotency_keys")) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    s.append(table).append('=').append(rs.getInt(1)).append(' ');
                }
            }
            try (ResultSet rs = st.executeQuery(
                    "SELECT id, status, amount, refunded_amount, trade_no, subject FROM payments ORDER BY id")) {
                while (rs.next()) {
                    s.append('[').append(rs.getString(1)).append(' ').append(rs.getString(2)).append(' ')
                            .append(rs.getBigDecimal(3)).append(' ').append(rs.getBigDecimal(4)).append(' ')
                            .append(rs.getString(5)).append(' ').append(rs.getString(6)).append(']');
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

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<byte[]> malformedForms() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings().withChars("=&%+;ZZ09az_").ofMaxLength(120),
                Arbitraries.of("%", "%z", "%zz", "%C3%28", "%E2%82", "%FF%FE", "sign=", "sign_type=RSA2&sign=%%%",
                        "&&&&", "====", "a=b=c", "=x", "charset=", "out_trade_no=" + SEED_OUT_TRADE_NO, "\u0000\u0000"),
                Arbitraries.of(INJECTIONS).map(s -> "out_trade_no=" + s + "&sign=" + s));
        return Combinators.combine(pieces.list().ofMaxSize(6), Arbitraries.of(StandardCharsets.UTF_8,
                        StandardCharsets.ISO_8859_1, Charset.forName("GBK"), StandardCharsets.UTF_16))
                .as((list, cs) -> String.join("&", list).getBytes(cs));
    }

    @Provide
    Arbitrary<byte[]> wrongCharsets() {
        Arbitrary<String> declared = Arbitraries.oneOf(
                Arbitraries.of("gbk", "GB2312", "big5", "iso-8859-1", "utf-16", "utf-9", "x-unknown", "", " ",
                        "utf-8\u0000", "../../etc", "' OR 1=1"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20));
        Arbitrary<Charset> encoding = Arbitraries.of(StandardCharsets.UTF_8, Charset.forName("GBK"),
                StandardCharsets.ISO_8859_1, StandardCharsets.UTF_16BE);
        // signed over the UTF-8 content, then the body claims another charset or is encoded in another
        Arbitrary<byte[]> relabelled = Combinators.combine(declared, encoding).as((name, enc) -> {
            Map<String, String> signed = alipay.sign(seedNotification());
            signed.put("charset", name);
            boolean utf16 = enc.equals(StandardCharsets.UTF_16BE);
            String form = NotificationSigner.encode(signed, utf16 ? StandardCharsets.UTF_8 : enc);
            return form.getBytes(utf16 ? enc : StandardCharsets.US_ASCII);
        });
        // correctly signed in the charset it names, but the values are percent-encoded in another one
        Arbitrary<byte[]> misencoded = Arbitraries.of("gbk", "utf-8", "gb2312").map(name -> {
            Map<String, String> p = seedNotification();
            p.put("charset", name);
            Map<String, String> signed = alipay.sign(p);
            Charset wrong = name.equals("utf-8") ? Charset.forName("GBK") : StandardCharsets.UTF_8;
            return NotificationSigner.encode(signed, wrong).getBytes(StandardCharsets.US_ASCII);
        });
        return Arbitraries.oneOf(relabelled, misencoded);
    }

    @Provide
    Arbitrary<byte[]> truncations() {
        return Arbitraries.integers().between(0, 100_000).map(seed -> {
            byte[] full = alipay.formBody(seedNotification());
            // the last 6 bytes are the signature's base64 padding "%3D%3D": without them the signature bytes are
            // the same, so such a body is still Alipay's signed notification (see truncatedPaddingOnly)
            return Arrays.copyOf(full, seed % (full.length - 6));
        });
    }

    @Provide
    Arbitrary<byte[]> oversized() {
        return Arbitraries.integers().between(1, 1024 * 1024).map(extra -> {
            byte[] valid = alipay.formBody(seedNotification());
            byte[] big = Arrays.copyOf(valid, valid.length + 64 * 1024 + extra);
            byte[] pad = "&pad=".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(pad, 0, big, valid.length, pad.length);
            Arrays.fill(big, valid.length + pad.length, big.length, (byte) 'a');
            return big;
        });
    }

    @Provide
    Arbitrary<String> hostileAmounts() {
        return Arbitraries.oneOf(
                Arbitraries.of("-9.90", "-0.01", "9.901", "9.899", "9.9001", "0", "0.00", "-0", "99.0", "990",
                        "1e30", "9.9e1", "1E+999999999", "1e2147483648", "NaN", "Infinity", "-Infinity", "9,90",
                        "9.90x", "0x9", "9.90 ", "九点九", "９.９０", "", " ", "9..90", "+9.91",
                        "99999999999999999999999999999999.99", "1" + "0".repeat(400), "9." + "9".repeat(500)),
                Arbitraries.bigDecimals().between(new BigDecimal("-1e12"), new BigDecimal("1e12")).ofScale(3)
                        .map(BigDecimal::toPlainString),
                Arbitraries.bigDecimals().between(new BigDecimal("-1e6"), new BigDecimal("-0.01")).ofScale(2)
                        .map(BigDecimal::toPlainString))
                .filter(HostileInputIT::notTheSeedAmount);
    }

    /** What the API must refuse: not 0.01..100000000.00 with at most 2 decimals, as a plain decimal string. */
    static boolean invalidApiAmount(String s) {
        String t = s.strip();
        if (!t.matches("\\d{1,9}(\\.\\d{1,2})?")) {
            return true;
        }
        BigDecimal v = new BigDecimal(t);
        return v.compareTo(new BigDecimal("0.01")) < 0 || v.compareTo(new BigDecimal("100000000.00")) > 0;
    }

    static boolean notTheSeedAmount(String s) {
        try {
            return new BigDecimal(s.strip()).compareTo(new BigDecimal(SEED_AMOUNT)) != 0;
        } catch (RuntimeException notANumber) {
            return true;
        }
    }

    @Provide
    Arbitrary<String> injections() {
        return Arbitraries.oneOf(Arbitraries.of(INJECTIONS),
                Combinators.combine(Arbitraries.strings().ofMaxLength(20), Arbitraries.of(INJECTIONS))
                        .as((a, b) -> a + b));
    }

    @Provide
    Arbitrary<String> notifyFields() {
        return Arbitraries.of("out_trade_no", "app_id", "trade_status", "notify_time", "gmt_payment");
    }

    @Provide
    Arbitrary<String> apiInjectionPlaces() {
        return Arbitraries.of("out_trade_no", "method", "auth_code", "return_url", "subject+bad_amount", "field_name",
                "path_id", "close_id", "refund_id", "query", "events_query");
    }

    @Provide
    Arbitrary<byte[]> forgeries() {
        return Arbitraries.of("stranger-key", "random-sign", "no-sign", "sign-of-other", "sign-type-rsa-bad", "empty-sign")
                .map(kind -> {
                    Map<String, String> p = seedNotification();
                    Map<String, String> signed = switch (kind) {
                        case "stranger-key" -> stranger.sign(p);
                        case "random-sign" -> {
                            Map<String, String> s = alipay.sign(p);
                            byte[] junk = new byte[256];
                            new java.util.Random().nextBytes(junk);
                            s.put("sign", java.util.Base64.getEncoder().encodeToString(junk));
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
                });
    }

    @Provide
    Arbitrary<Map<String, byte[]>> headerAbuse() {
        Arbitrary<String> contentTypes = Arbitraries.of("application/json", "text/plain", "multipart/form-data; boundary=x",
                "application/x-www-form-urlencoded; charset=bogus", "application/x-www-form-urlencoded; charset=utf-16",
                "", "*/*", "application/x-www-form-urlencoded; charset=' OR 1=1", "text/html; charset=gbk");
        Arbitrary<Integer> giant = Arbitraries.of(0, 0, 2_000, 7_000, 9_000, 40_000);
        return Combinators.combine(contentTypes, giant).as((ct, size) -> {
            Map<String, byte[]> h = new LinkedHashMap<>();
            if (!ct.isEmpty()) {
                h.put("Content-Type", bytes(ct));
            }
            if (size > 0) {
                h.put("X-Junk", bytes("x".repeat(size)));
            }
            return h;
        });
    }

    @Provide
    Arbitrary<byte[]> malformedJson() {
        String valid = "{\"amount\":\"1.00\",\"subject\":\"Coffee\",\"method\":\"qr\"}";
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200).filter(s -> !s.isBlank()).map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.integers().between(0, valid.length() - 1).map(n -> valid.substring(0, n).getBytes(StandardCharsets.UTF_8)),
                Arbitraries.of("[]", "[" + valid + "]", "null", "1", "\"x\"", "true", "{}", "{\"amount\":{}}",
                        "{\"amount\":[\"1.00\"],\"subject\":\"x\",\"method\":\"qr\"}",
                        "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\",\"amout\":\"1\"}",
                        "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\",\"metadata\":\"notanobject\"}",
                        "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\",\"expire_minutes\":\"soon\"}",
                        "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\",\"expire_minutes\":99999999999999999999}",
                        "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\",\"expire_minutes\":1.5e3}",
                        "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\",\"metadata\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
                        "[".repeat(20000), "{\"a\":" .repeat(3000), "\uFEFF{\"amount\":\"1.00\"",
                        "{'amount':'1.00','subject':'x','method':'qr'}", "{\"amount\":\"1.00\",}", "\u0000\u0000")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<String> hostileAmountJson() {
        return Arbitraries.oneOf(
                hostileAmounts().filter(HostileInputIT::invalidApiAmount).map(HostileInputIT::json),
                Arbitraries.of("-1", "-0.01", "0", "1.001", "1e400", "-1e400", "1" + "0".repeat(2000), "100000000.01",
                        "0.001", "true", "null", "[]", "{}", "\"100000000.01\"", "\"0.00\"", "\"1.001\"", "\"-1.00\"",
                        "\"1e2\"", "\"0x10\"", "\"1.0.0\"", "\"１.００\""));
    }

    @Provide
    Arbitrary<byte[]> badAuthorizations() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer", "Token abc", "Bearer null",
                        "Bearer undefined", "Bearer ' OR '1'='1", "Bearer <script>").map(HostileInputIT::bytes),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(100).map(s -> bytes("Bearer " + s)),
                Arbitraries.integers().between(100, 7_000).map(n -> bytes("Bearer " + "k".repeat(n))),
                Arbitraries.of(0, 1, 2).map(n -> switch (n) {
                    case 0 -> bytes("Bearer " + apiKey + "x");
                    case 1 -> bytes("Bearer " + apiKey.substring(0, apiKey.length() - 1));
                    default -> bytes("Bearer " + apiKey.toUpperCase(java.util.Locale.ROOT));
                }),
                Arbitraries.of("Bearer \u00e9\u00e8", "Bearer \u00ff\u00fe").map(HostileInputIT::bytes));
    }

    @Provide
    Arbitrary<byte[]> badIdempotencyKeys() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(256, 6_000).map(n -> bytes("k".repeat(n))),
                Arbitraries.of(INJECTIONS).filter(s -> !s.isBlank() && s.length() < 200 && s.indexOf('\r') < 0
                        && s.indexOf('\n') < 0).map(s -> bytes("key " + s)),
                Arbitraries.of("a b", "caf\u00e9", "\u00ff\u00fe", "tab\there", "\u0001x", "x\u007f").map(HostileInputIT::bytes),
                Arbitraries.of("键", "🙂").map(s -> s.getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<String> badContentTypes() {
        return Arbitraries.of("", "text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=zz", "application/json; charset=bogus", "application/octet-stream", "json", "/", "application/",
                "application/json; charset=\"", "text/html; charset=gbk",
                "application/x-ndjson", "image/png");
    }

    @Provide
    Arbitrary<Map<String, byte[]>> giantHeaders() {
        return Arbitraries.integers().between(9_000, 200_000).map(n -> {
            Map<String, byte[]> h = new LinkedHashMap<>();
            h.put("X-Junk", bytes("j".repeat(n)));
            return h;
        });
    }

    @Provide
    Arbitrary<byte[]> wrongCharsetJson() {
        return Arbitraries.oneOf(
                // Chinese subject in GBK bytes while the request says UTF-8
                Arbitraries.of("咖啡", "支付宝测试", "退款").map(s -> {
                    byte[] gbk = s.getBytes(Charset.forName("GBK"));
                    byte[] head = "{\"amount\":\"1.00\",\"method\":\"qr\",\"subject\":\"".getBytes(StandardCharsets.US_ASCII);
                    byte[] tail = "\"}".getBytes(StandardCharsets.US_ASCII);
                    byte[] out = new byte[head.length + gbk.length + tail.length];
                    System.arraycopy(head, 0, out, 0, head.length);
                    System.arraycopy(gbk, 0, out, head.length, gbk.length);
                    System.arraycopy(tail, 0, out, head.length + gbk.length, tail.length);
                    return out;
                }),
                // invalid UTF-8 sequences inside a value: random ones, and always the forms lenient decoders
                // turn into text (overlong "v" and NUL, encoded surrogates, beyond U+10FFFF, overlong 3 and 4 bytes)
                Arbitraries.oneOf(
                        Arbitraries.bytes().between((byte) 0x80, (byte) 0xFF).array(byte[].class).ofMinSize(1).ofMaxSize(8)
                                .filter(b -> !validUtf8(b)),
                        Arbitraries.of(new byte[] {(byte) 0xC1, (byte) 0xB6}, new byte[] {(byte) 0xC0, (byte) 0x80},
                                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                                new byte[] {(byte) 0xED, (byte) 0xBF, (byte) 0xBF},
                                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                                new byte[] {(byte) 0xE0, (byte) 0x81, (byte) 0xB6},
                                new byte[] {(byte) 0xF0, (byte) 0x80, (byte) 0x81, (byte) 0xB6}))
                        .map(b -> {
                            byte[] head = "{\"amount\":\"1.00\",\"method\":\"qr\",\"subject\":\"x".getBytes(StandardCharsets.US_ASCII);
                            byte[] tail = "\"}".getBytes(StandardCharsets.US_ASCII);
                            byte[] out = new byte[head.length + b.length + tail.length];
                            System.arraycopy(head, 0, out, 0, head.length);
                            System.arraycopy(b, 0, out, head.length, b.length);
                            System.arraycopy(tail, 0, out, head.length + b.length, tail.length);
                            return out;
                        }));
    }

    static boolean validUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    @Provide
    Arbitrary<byte[]> oversizedJson() {
        return Arbitraries.integers().between(300_000, 3_000_000).map(n ->
                ("{\"amount\":\"1.00\",\"method\":\"qr\",\"subject\":\"" + "s".repeat(n) + "\"}").getBytes(StandardCharsets.US_ASCII));
    }
}
