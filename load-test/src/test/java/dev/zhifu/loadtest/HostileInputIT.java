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
import java.security.PrivateKey;
import java.security.Signature;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
 * <p>{@code /notify/wechatpay} (docs/rest-api.md#notify-wechatpay) gets the same treatment against a seed
 * {@code wechat_native} payment: malformed, truncated and oversized bodies, hostile values signed with the demo's
 * WeChat Pay platform key, forged and stale signatures, abused headers, an undecryptable resource and unsupported
 * event types. Each is answered a 4xx with {@code {"code":"FAIL",…}} and changes nothing; one that is not verified
 * is not even recorded in {@code received_notifications}. The genuine notification, sent last, pays the seed once.
 *
 * <p>Inputs are drawn by {@link SeededCases}: the same ones on every run, the seed of each in its name.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {

    static final String SEED_OUT_TRADE_NO = "hostile-seed-1";
    static final String SEED_AMOUNT = "9.90";
    static final String SEED_SUBJECT = "咖啡 coffee";
    /** payments.notify.evidence-per-source as the service has it by default (this suite does not set it). */
    static final int EVIDENCE_PER_SOURCE = 100;

    static final String WECHAT_SEED_OUT_TRADE_NO = "hostile-seed-wechat-1";
    /** The seed's amount in fen, as WeChat Pay's notifications carry it (9.90 yuan). */
    static final long WECHAT_SEED_FEN = 990;
    /** The embedded sandbox's merchant, appid and public key id (alipay-sandbox's WechatPaySettings defaults). */
    static final String WECHAT_MCHID = "1900000001";

    static final String WECHAT_APPID = "wx0000000000000001";
    static final String WECHAT_KEY_ID = "PUB_KEY_ID_0000000000000001";

    static String wechatSeedId;
    /** Signs as WeChat Pay does, with the demo's platform key and APIv3 key. */
    static dev.zhifu.wechatpay.notify.NotificationSigner wechat;
    /** A stranger's key under the right key id. */
    static dev.zhifu.wechatpay.notify.NotificationSigner wechatStranger;
    /** The right platform key, the wrong APIv3 key: the signature verifies, the resource does not decrypt. */
    static dev.zhifu.wechatpay.notify.NotificationSigner wechatWrongApiV3;

    static PrivateKey wechatPlatformKey;

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
    /** Rows in received_notifications after the last input. */
    static volatile int receivedBaseline;

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
        // DemoKeys writes the WeChat Pay keys at start-up when they are missing: read them only now
        String platformPem = Files.readString(
                DemoKeyFiles.dir(data).resolve("wechatpay_platform_private_key.pem"), StandardCharsets.US_ASCII);
        String apiV3Key = Files.readString(
                        DemoKeyFiles.dir(data).resolve("wechatpay_apiv3_key.txt"), StandardCharsets.US_ASCII)
                .strip();
        wechatPlatformKey =
                AlipayKeys.readPrivateKey(DemoKeyFiles.dir(data).resolve("wechatpay_platform_private_key.pem"));
        wechat = new dev.zhifu.wechatpay.notify.NotificationSigner(platformPem, WECHAT_KEY_ID, apiV3Key);
        wechatStranger = new dev.zhifu.wechatpay.notify.NotificationSigner(
                AlipayKeys.toPem(AlipayKeys.generateRsa2048().getPrivate()), WECHAT_KEY_ID, apiV3Key);
        wechatWrongApiV3 = new dev.zhifu.wechatpay.notify.NotificationSigner(
                platformPem,
                WECHAT_KEY_ID,
                new StringBuilder(apiV3Key).reverse().toString());
        RawHttp.Response createdWechat = raw.send(
                "POST",
                "/api/v1/payments",
                Map.of("Authorization", bytes("Bearer " + apiKey), "Content-Type", bytes("application/json")),
                ("{\"out_trade_no\":\"" + WECHAT_SEED_OUT_TRADE_NO + "\",\"amount\":\"" + SEED_AMOUNT
                                + "\",\"subject\":\"" + SEED_SUBJECT + "\",\"method\":\"wechat_native\"}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(createdWechat.status()).as(createdWechat.text()).isEqualTo(201);
        wechatSeedId = Json.object(createdWechat.text()).get("id").toString();
        db = DriverManager.getConnection(url, "sa", "");
        baseline = snapshot();
        receivedBaseline = count("received_notifications");
        initial = baseline;
        System.out.println("[hostile] service on port " + service.spec().port() + ", seed payment " + seedId
                + " and WeChat seed payment " + wechatSeedId + " PENDING; state " + baseline);
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

    // ---------------------------------------------------------------- /notify/wechatpay

    @ParameterizedTest
    @MethodSource("wechatMalformedCases")
    void wechatMalformed(byte[] body, String signing) {
        Map<String, String> headers = switch (signing) {
            case "signed" -> signRaw(body, Instant.now());
            case "genuine-headers" -> genuineWechat().headers();
            default -> Map.of();
        };
        expectWechatRefusal("wechat: malformed body", wechatPost(body, headers), false, 401);
    }

    @ParameterizedTest
    @MethodSource("wechatTruncatedCases")
    void wechatTruncated(int length, boolean resign) {
        var genuine = genuineWechat();
        byte[] full = genuine.body().getBytes(StandardCharsets.UTF_8);
        byte[] cut = Arrays.copyOf(full, Math.min(length, full.length - 1));
        Map<String, String> headers = resign ? signRaw(cut, Instant.now()) : genuine.headers();
        expectWechatRefusal("wechat: truncated body", wechatPost(cut, headers), false, 401);
    }

    @ParameterizedTest
    @MethodSource("wechatOversizedCases")
    void wechatOversized(int size, boolean chunked) {
        String body = genuineWechat().body();
        int pad = Math.max(0, size - body.length() - 10);
        byte[] big = (body.substring(0, body.length() - 1) + ",\"pad\":\"" + "a".repeat(pad) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        // signed over the whole body: only its size is wrong
        Map<String, byte[]> headers = wechatHeaders(signRaw(big, Instant.now()));
        byte[] sent = big;
        if (chunked) {
            headers.put("Transfer-Encoding", bytes("chunked"));
            sent = chunked(big);
        }
        RawHttp.Response r = raw.send("POST", "/notify/wechatpay", headers, sent);
        expectWechatRefusal("wechat: oversized body" + (chunked ? " (chunked)" : ""), r, false, 413);
    }

    @ParameterizedTest
    @MethodSource("wechatHostileAmountCases")
    void wechatHostileAmount(String totalJson) {
        var signed = wechat.sign(
                "hostile-amount",
                "TRANSACTION.SUCCESS",
                "transaction",
                wechatTransaction(json(WECHAT_SEED_OUT_TRADE_NO), totalJson, json(WECHAT_MCHID), json(WECHAT_APPID)),
                Instant.now());
        // verified and refused for its amount (400), or its resource not readable as a transaction (401)
        expectWechatRefusal("wechat: hostile amount (signed)", wechatPost(signed), true, 400, 401);
    }

    @ParameterizedTest
    @MethodSource("wechatHostileFieldCases")
    void wechatHostileField(String value, String field) {
        String outTradeNo = json(WECHAT_SEED_OUT_TRADE_NO);
        String mchid = json(WECHAT_MCHID);
        String appid = json(WECHAT_APPID);
        switch (field) {
            case "out_trade_no" -> outTradeNo = json(value);
            case "mchid" -> mchid = json(value);
            default -> appid = json(value);
        }
        var signed = wechat.sign(
                "hostile-field",
                "TRANSACTION.SUCCESS",
                "transaction",
                wechatTransaction(outTradeNo, Long.toString(WECHAT_SEED_FEN), mchid, appid),
                Instant.now());
        // refused for the field (400), or the resource not readable as a transaction (401)
        expectWechatRefusal("wechat: hostile " + field + " (signed)", wechatPost(signed), true, 400, 401);
    }

    @ParameterizedTest
    @MethodSource("wechatForgedCases")
    void wechatForged(String kind, int seed) {
        Random r = new Random(seed);
        var genuine = genuineWechat();
        byte[] body = genuine.body().getBytes(StandardCharsets.UTF_8);
        Map<String, String> h = new LinkedHashMap<>(genuine.headers());
        switch (kind) {
            case "stranger-key" -> {
                var s = wechatStranger.sign(
                        "forged", "TRANSACTION.SUCCESS", "transaction", seedTransaction(), Instant.now());
                body = s.body().getBytes(StandardCharsets.UTF_8);
                h = new LinkedHashMap<>(s.headers());
            }
            case "flipped-body-byte" -> {
                int at = r.nextInt(body.length);
                body[at] ^= (byte) (1 + r.nextInt(255));
            }
            case "flipped-signature-byte" -> {
                byte[] sig = Base64.getDecoder().decode(h.get("Wechatpay-Signature"));
                sig[r.nextInt(sig.length)] ^= (byte) (1 + r.nextInt(255));
                h.put("Wechatpay-Signature", Base64.getEncoder().encodeToString(sig));
            }
            case "random-signature" -> {
                byte[] sig = new byte[256];
                r.nextBytes(sig);
                h.put("Wechatpay-Signature", Base64.getEncoder().encodeToString(sig));
            }
            case "signature-not-base64" ->
                h.put("Wechatpay-Signature", SeededCases.oneOf(r, "!!!", "%%%%", "a", "====", "' OR '1'='1"));
            case "signature-of-other-body" ->
                h = new LinkedHashMap<>(genuineWechat("other-event", 1).headers());
            case "no-signature" -> h.remove("Wechatpay-Signature");
            case "no-timestamp" -> h.remove("Wechatpay-Timestamp");
            case "no-nonce" -> h.remove("Wechatpay-Nonce");
            case "no-serial" -> h.remove("Wechatpay-Serial");
            case "no-headers" -> h.clear();
            case "empty-header" -> h.put(SeededCases.oneOf(r, List.copyOf(h.keySet())), "");
            case "stale-10min", "future-10min", "stale-1year", "epoch-0" -> {
                Instant at = switch (kind) {
                    case "stale-10min" -> Instant.now().minusSeconds(600);
                    case "future-10min" -> Instant.now().plusSeconds(600);
                    case "stale-1year" -> Instant.now().minus(Duration.ofDays(365));
                    default -> Instant.EPOCH;
                };
                var s = wechat.sign("stale", "TRANSACTION.SUCCESS", "transaction", seedTransaction(), at);
                body = s.body().getBytes(StandardCharsets.UTF_8);
                h = new LinkedHashMap<>(s.headers());
            }
            case "timestamp-changed" ->
                h.put(
                        "Wechatpay-Timestamp",
                        Long.toString(Long.parseLong(h.get("Wechatpay-Timestamp")) + (r.nextBoolean() ? 1 : -1)));
            case "timestamp-junk" ->
                h.put(
                        "Wechatpay-Timestamp",
                        SeededCases.oneOf(
                                r,
                                "abc",
                                "-1",
                                "99999999999999999999",
                                "1e10",
                                "0x1",
                                "NaN",
                                h.get("Wechatpay-Timestamp") + "000",
                                "' OR '1'='1"));
            case "nonce-changed" -> h.put("Wechatpay-Nonce", h.get("Wechatpay-Nonce") + "x");
            case "serial-not-the-key-id" ->
                h.put(
                        "Wechatpay-Serial",
                        SeededCases.oneOf(
                                r,
                                "PUB_KEY_ID_0000000000000002",
                                "PUB_KEY_ID_",
                                "pub_key_id_0000000000000001",
                                "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
                                "0",
                                "../../etc/passwd",
                                "' OR '1'='1",
                                "PUB_KEY_ID_0000000000000001\u0000",
                                "P".repeat(5_000)));
            case "wrong-apiv3-key" -> {
                var s = wechatWrongApiV3.sign(
                        "undecryptable", "TRANSACTION.SUCCESS", "transaction", seedTransaction(), Instant.now());
                body = s.body().getBytes(StandardCharsets.UTF_8);
                h = new LinkedHashMap<>(s.headers());
            }
            case "unsupported-event-type" -> {
                var s = wechat.sign(
                        "unsupported",
                        SeededCases.oneOf(
                                r,
                                "PROFITSHARING.SUCCESS",
                                "MCHTRANSFER.BILL.FINISHED",
                                "TRANSACTION",
                                "transaction.success",
                                "REFUND",
                                "",
                                " TRANSACTION.SUCCESS",
                                "' OR '1'='1",
                                "蛋".repeat(300)),
                        "transaction",
                        seedTransaction(),
                        Instant.now());
                body = s.body().getBytes(StandardCharsets.UTF_8);
                h = new LinkedHashMap<>(s.headers());
            }
            default -> throw new IllegalStateException(kind);
        }
        expectWechatRefusal("wechat: forged/" + kind, wechatPost(body, h), false, 401);
    }

    @ParameterizedTest
    @MethodSource("wechatHeaderAbuseCases")
    void wechatHeaderAbuse(String contentType, String abuse) {
        var genuine = genuineWechat();
        Map<String, byte[]> h = new LinkedHashMap<>();
        if (!contentType.isEmpty()) {
            h.put("Content-Type", bytes(contentType));
        }
        Map<String, String> signing = new LinkedHashMap<>(genuine.headers());
        String signature = signing.get("Wechatpay-Signature");
        switch (abuse) {
            // a wrong value first, the genuine one after it: the first is the one read, and refused
            case "duplicated-signature" ->
                signing.put("Wechatpay-Signature", "AAAA\r\nWechatpay-Signature: " + signature);
            case "duplicated-timestamp" ->
                signing.put("Wechatpay-Timestamp", "1\r\nWechatpay-Timestamp: " + signing.get("Wechatpay-Timestamp"));
            case "duplicated-serial" ->
                signing.put("Wechatpay-Serial", "PUB_KEY_ID_0000000000000009\r\nWechatpay-Serial: " + WECHAT_KEY_ID);
            case "huge-signature" -> signing.put("Wechatpay-Signature", signature + "A".repeat(9_000));
            case "huge-signature-40k" -> signing.put("Wechatpay-Signature", "A".repeat(40_000));
            case "huge-nonce" -> signing.put("Wechatpay-Nonce", "n".repeat(7_000));
            case "huge-serial" -> signing.put("Wechatpay-Serial", WECHAT_KEY_ID + "0".repeat(7_000));
            case "junk-2k", "junk-9k", "junk-40k" -> {
                // a body changed after signing: refused whatever else the request carries
                h.put("X-Junk", bytes("x".repeat(Integer.parseInt(abuse.replaceAll("\\D", "")) * 1000)));
                signing.put("Wechatpay-Signature", "AAAA" + signature.substring(4));
            }
            default -> throw new IllegalStateException(abuse);
        }
        signing.forEach((k, v) -> h.put(k, v.getBytes(StandardCharsets.UTF_8)));
        RawHttp.Response r =
                raw.send("POST", "/notify/wechatpay", h, genuine.body().getBytes(StandardCharsets.UTF_8));
        expectWechatRefusal("wechat: header abuse", r, false, 401);
    }

    /** Last (after every hostile input): WeChat Pay's genuine notification pays the seed, once however often sent. */
    @Test
    @Order(Integer.MAX_VALUE)
    void wechatGenuineNotificationPaysTheSeedOnce() throws SQLException {
        assertThat(paymentStatus(wechatSeedId)).isEqualTo("PENDING");
        for (int i = 0; i < 2; i++) { // WeChat Pay sends it again when it misses an answer
            var genuine = wechat.sign(
                    "hostile-genuine-1", "TRANSACTION.SUCCESS", "transaction", seedTransaction(), Instant.now());
            // the first in chunks, its client half-closing after the last one (RawHttp): answered, and it pays
            RawHttp.Response r = i == 0 ? wechatPostChunked(genuine) : wechatPost(genuine);
            record("wechat: genuine", r);
            assertThat(r.status()).as(describe(r)).isEqualTo(204);
            assertThat(r.body()).isEmpty();
        }
        assertThat(paymentStatus(wechatSeedId)).isEqualTo("PAID");
        try (var st = db.prepareStatement("SELECT COUNT(*) FROM payment_events WHERE payment_id = ? AND type = ?")) {
            st.setString(1, wechatSeedId);
            st.setString(2, "payment.succeeded");
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1))
                        .as("payment.succeeded events of the WeChat seed")
                        .isEqualTo(1);
            }
        }
        assertThat(paymentStatus(seedId)).as("the Alipay seed").isEqualTo("PENDING");
    }

    // ---------------------------------------------------------------- REST API

    @ParameterizedTest
    @MethodSource("apiMalformedJsonCases")
    void apiMalformedJson(byte[] body) {
        expectProblem("api: malformed JSON", createRaw(body, "application/json"), 400);
    }

    /** The same in chunks, the client half-closing after the last one (RawHttp): answered all the same. */
    @ParameterizedTest
    @MethodSource("apiMalformedJsonChunkedCases")
    void apiMalformedJsonChunked(byte[] body) {
        Map<String, byte[]> h = authJson();
        h.put("Transfer-Encoding", bytes("chunked"));
        expectProblem("api: malformed JSON (chunked)", raw.send("POST", "/api/v1/payments", h, chunked(body)), 400);
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

    /**
     * A refusal from {@code /notify/wechatpay}: a 4xx with {@code {"code":"FAIL",…}} (one of {@code statuses}, when
     * given), or the web container's own 400 or the request-size limit's 413; nothing changed, and an input that
     * is not verified leaves no row in {@code received_notifications}.
     */
    private static void expectWechatRefusal(String kind, RawHttp.Response r, boolean verified, int... statuses) {
        int receivedBefore = receivedBaseline;
        record(kind, r);
        assertUnchanged(kind);
        if (!verified) {
            assertThat(receivedBaseline)
                    .as(kind + ": not verified, so not recorded in received_notifications")
                    .isEqualTo(receivedBefore);
        }
        assertThat(r.status()).as(kind + ": no 5xx; " + describe(r)).isLessThan(500);
        assertThat(r.status()).as(kind + ": a refusal; " + describe(r)).isBetween(400, 499);
        if (r.contentType().startsWith("application/json")) {
            Map<String, Object> answer = Json.object(r.text());
            assertThat(answer.get("code")).as(kind + ": " + describe(r)).isEqualTo("FAIL");
            assertThat(answer.get("message")).as(kind + ": " + describe(r)).isInstanceOf(String.class);
            if (statuses.length > 0) {
                assertThat(r.status())
                        .as(kind + "; " + describe(r))
                        .isIn(Arrays.stream(statuses).boxed().toList());
            }
        } else if (r.status() == 413 && r.contentType().startsWith("application/problem+json")) {
            // over payments.http.max-body-size: refused before it is received, on any path
            assertThat(r.text()).as(kind + "; " + describe(r)).contains("\"code\":\"payload_too_large\"");
        } else {
            assertThat(r.status())
                    .as(kind + ": refused by the web container; " + describe(r))
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
                        : r.contentType().startsWith("application/json")
                                ? r.status() + " " + Json.object(r.text()).get("code") + " "
                                        + String.valueOf(Json.object(r.text()).get("message"))
                                                .split("[: ]")[0]
                                : r.contentType().startsWith("application/problem+json")
                                        ? r.status() + " "
                                                + Json.object(r.text()).get("code")
                                        : r.text().equals("failure")
                                                ? r.status() + " failure"
                                                : r.status()
                                                        + (r.status() >= 400 ? " (container)" : " " + r.contentType());
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
        receivedBaseline = count("received_notifications");
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
            // a notification recorded as anything but REFUSED had an effect (or claims one): none may appear
            try (ResultSet rs =
                    st.executeQuery("SELECT COUNT(*) FROM received_notifications WHERE outcome <> 'REFUSED'")) {
                rs.next();
                s.append("received_notifications(not REFUSED)=")
                        .append(rs.getInt(1))
                        .append(' ');
            }
            try (ResultSet rs = st.executeQuery(
                    "SELECT id, status, amount, refunded_amount, trade_no, subject, channel FROM payments ORDER BY id")) {
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
                            .append(' ')
                            .append(rs.getString(7))
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

    private static RawHttp.Response wechatPost(dev.zhifu.wechatpay.notify.NotificationSigner.SignedNotification n) {
        return wechatPost(n.body().getBytes(StandardCharsets.UTF_8), n.headers());
    }

    private static RawHttp.Response wechatPostChunked(
            dev.zhifu.wechatpay.notify.NotificationSigner.SignedNotification n) {
        Map<String, byte[]> h = wechatHeaders(n.headers());
        h.put("Transfer-Encoding", bytes("chunked"));
        return raw.send("POST", "/notify/wechatpay", h, chunked(n.body().getBytes(StandardCharsets.UTF_8)));
    }

    private static RawHttp.Response wechatPost(byte[] body, Map<String, String> headers) {
        return raw.send("POST", "/notify/wechatpay", wechatHeaders(headers), body);
    }

    private static Map<String, byte[]> wechatHeaders(Map<String, String> signing) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put("Content-Type", bytes("application/json"));
        signing.forEach((k, v) -> h.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return h;
    }

    /** The {@code Wechatpay-*} headers over any bytes, signed with the demo's platform key as WeChat Pay signs. */
    static Map<String, String> signRaw(byte[] body, Instant at) {
        String timestamp = Long.toString(at.getEpochSecond());
        String nonce = "N" + Long.toHexString(System.nanoTime()) + "0123456789abcdef";
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(wechatPlatformKey);
            rsa.update((timestamp + "\n" + nonce + "\n").getBytes(StandardCharsets.UTF_8));
            rsa.update(body);
            rsa.update((byte) '\n');
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Wechatpay-Timestamp", timestamp);
            h.put("Wechatpay-Nonce", nonce);
            h.put("Wechatpay-Serial", WECHAT_KEY_ID);
            h.put("Wechatpay-Signature", Base64.getEncoder().encodeToString(rsa.sign()));
            return h;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The seed's TRANSACTION.SUCCESS as WeChat Pay would send it now (valid: only a change makes it hostile). */
    static dev.zhifu.wechatpay.notify.NotificationSigner.SignedNotification genuineWechat() {
        return genuineWechat("hostile-event", 0);
    }

    static dev.zhifu.wechatpay.notify.NotificationSigner.SignedNotification genuineWechat(String id, int secondsAgo) {
        return wechat.sign(
                id,
                "TRANSACTION.SUCCESS",
                "transaction",
                seedTransaction(),
                Instant.now().minusSeconds(secondsAgo));
    }

    static String seedTransaction() {
        return wechatTransaction(
                json(WECHAT_SEED_OUT_TRADE_NO), Long.toString(WECHAT_SEED_FEN), json(WECHAT_MCHID), json(WECHAT_APPID));
    }

    /** A transaction resource with the given JSON values (already quoted where strings), amounts in fen. */
    static String wechatTransaction(String outTradeNo, String totalFen, String mchid, String appid) {
        return "{\"appid\":" + appid + ",\"mchid\":" + mchid + ",\"out_trade_no\":" + outTradeNo
                + ",\"transaction_id\":\"4200000000202612070001\",\"trade_type\":\"NATIVE\",\"trade_state\":\"SUCCESS\","
                + "\"trade_state_desc\":\"ok\",\"bank_type\":\"OTHERS\",\"success_time\":\"2026-12-07T10:00:00+08:00\","
                + "\"payer\":{\"openid\":\"o-hostile\"},\"amount\":{\"total\":" + totalFen + ",\"payer_total\":"
                + totalFen + ",\"currency\":\"CNY\",\"payer_currency\":\"CNY\"}}";
    }

    static byte[] chunked(byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += 8192) {
            int n = Math.min(8192, body.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static String paymentStatus(String id) throws SQLException {
        try (var st = db.prepareStatement("SELECT status FROM payments WHERE id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("payment " + id).isTrue();
                return rs.getString(1);
            }
        }
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

    static Stream<Arguments> wechatMalformedCases() {
        return SeededCases.of(200, r -> {
            byte[] body = wechatMalformed(r);
            return new Object[] {body, SeededCases.oneOf(r, "signed", "genuine-headers", "unsigned")};
        });
    }

    static Stream<Arguments> wechatTruncatedCases() {
        return SeededCases.of(120, r -> new Object[] {r.nextInt(1_000), r.nextBoolean()});
    }

    static Stream<Arguments> wechatOversizedCases() {
        // payments.notify.max-body-size is 64KB by default
        return SeededCases.of(30, r -> new Object[] {64 * 1024 + 1 + r.nextInt(1024 * 1024), r.nextBoolean()});
    }

    static Stream<Arguments> wechatHostileAmountCases() {
        return SeededCases.of(150, r -> new Object[] {wechatHostileAmount(r)});
    }

    static Stream<Arguments> wechatHostileFieldCases() {
        return SeededCases.of(150, r -> {
            String field = SeededCases.oneOf(r, "out_trade_no", "mchid", "appid");
            String value = switch (r.nextInt(3)) {
                case 0 -> injection(r);
                default ->
                    switch (field) {
                        case "out_trade_no" ->
                            SeededCases.oneOf(
                                    r,
                                    "",
                                    " ",
                                    WECHAT_SEED_OUT_TRADE_NO.toUpperCase(java.util.Locale.ROOT),
                                    WECHAT_SEED_OUT_TRADE_NO + " ",
                                    " " + WECHAT_SEED_OUT_TRADE_NO,
                                    WECHAT_SEED_OUT_TRADE_NO + "\u0000",
                                    WECHAT_SEED_OUT_TRADE_NO + "%",
                                    "hostile-seed-wechat-%",
                                    "hostile-seed-wechat-_",
                                    WECHAT_SEED_OUT_TRADE_NO + "' OR '1'='1",
                                    "x".repeat(65),
                                    WECHAT_SEED_OUT_TRADE_NO.repeat(10));
                        case "mchid" ->
                            SeededCases.oneOf(
                                    r, "1900000002", "", " ", "0", WECHAT_MCHID + " ", "01900000001", "１９００００００００１");
                        default ->
                            SeededCases.oneOf(
                                    r,
                                    "wx0000000000000002",
                                    "",
                                    "WX0000000000000001",
                                    WECHAT_APPID + " ",
                                    "wx",
                                    WECHAT_APPID + "\u0000");
                    };
            };
            return new Object[] {value, field};
        });
    }

    static Stream<Arguments> wechatForgedCases() {
        List<String> kinds = List.of(
                "stranger-key",
                "flipped-body-byte",
                "flipped-signature-byte",
                "random-signature",
                "signature-not-base64",
                "signature-of-other-body",
                "no-signature",
                "no-timestamp",
                "no-nonce",
                "no-serial",
                "no-headers",
                "empty-header",
                "stale-10min",
                "future-10min",
                "stale-1year",
                "epoch-0",
                "timestamp-changed",
                "timestamp-junk",
                "nonce-changed",
                "serial-not-the-key-id",
                "wrong-apiv3-key",
                "unsupported-event-type");
        return SeededCases.of(200, r -> new Object[] {SeededCases.oneOf(r, kinds), r.nextInt()});
    }

    static Stream<Arguments> wechatHeaderAbuseCases() {
        List<String> contentTypes = List.of(
                "application/json",
                "text/plain",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "application/json; charset=bogus",
                "");
        List<String> abuses = List.of(
                "duplicated-signature",
                "duplicated-timestamp",
                "duplicated-serial",
                "huge-signature",
                "huge-signature-40k",
                "huge-nonce",
                "huge-serial",
                "junk-2k",
                "junk-9k",
                "junk-40k");
        return IntStream.range(0, contentTypes.size() * abuses.size()).mapToObj(i -> {
            String ct = contentTypes.get(i / abuses.size());
            String abuse = abuses.get(i % abuses.size());
            return Arguments.argumentSet("Content-Type '" + ct + "', " + abuse, ct, abuse);
        });
    }

    static Stream<Arguments> apiMalformedJsonCases() {
        return SeededCases.of(250, r -> new Object[] {malformedJson(r)});
    }

    static Stream<Arguments> apiMalformedJsonChunkedCases() {
        return SeededCases.of(25, r -> new Object[] {malformedJson(r)});
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

    /** Bodies that are no WeChat Pay notification: text, bytes, JSON of the wrong shape, a broken resource. */
    static byte[] wechatMalformed(Random r) {
        String genuine = genuineWechat().body();
        return switch (r.nextInt(4)) {
            case 0 -> SeededCases.anyString(r, 300).getBytes(StandardCharsets.UTF_8);
            case 1 -> SeededCases.bytes(r, 0, 300, 0, 255);
            case 2 -> {
                // the genuine envelope with one field of its resource broken
                String field = SeededCases.oneOf(r, "ciphertext", "nonce", "associated_data", "algorithm");
                String value = SeededCases.oneOf(
                        r, "", "!!!", "AAAA", "null", "' OR '1'='1", "蛋".repeat(300), "A".repeat(10_000));
                yield genuine.replaceFirst(
                                "\"" + field + "\":\"[^\"]*\"",
                                java.util.regex.Matcher.quoteReplacement("\"" + field + "\":" + json(value)))
                        .getBytes(StandardCharsets.UTF_8);
            }
            default ->
                SeededCases.oneOf(
                                r,
                                "",
                                "{}",
                                "[]",
                                "null",
                                "1",
                                "\"x\"",
                                "true",
                                "{\"event_type\":\"TRANSACTION.SUCCESS\"}",
                                "{\"event_type\":\"TRANSACTION.SUCCESS\",\"resource\":null}",
                                "{\"event_type\":\"TRANSACTION.SUCCESS\",\"resource\":\"x\"}",
                                "{\"event_type\":\"TRANSACTION.SUCCESS\",\"resource\":[]}",
                                "{\"event_type\":\"TRANSACTION.SUCCESS\",\"resource\":{}}",
                                "{\"event_type\":[\"TRANSACTION.SUCCESS\"]}",
                                "{\"event_type\":{},\"resource\":{}}",
                                "{\"event_type\":\"REFUND.SUCCESS\",\"resource\":{\"ciphertext\":\"\"}}",
                                "{'event_type':'TRANSACTION.SUCCESS'}",
                                "[".repeat(20_000),
                                "{\"a\":".repeat(3_000),
                                "{\"event_type\":\"TRANSACTION.SUCCESS\",\"resource\":" + "[".repeat(5_000)
                                        + "]".repeat(5_000) + "}",
                                "\uFEFF" + genuine,
                                genuine + genuine,
                                genuine + "x",
                                genuine.replace("\"", "'"),
                                "\u0000\u0000",
                                "id=1&event_type=TRANSACTION.SUCCESS")
                        .getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Anything but the seed's 990 fen: negative, huge, fractional, strings, other JSON types. */
    static String wechatHostileAmount(Random r) {
        String amount;
        do {
            amount = switch (r.nextInt(3)) {
                case 0 ->
                    SeededCases.oneOf(
                            r,
                            "-990",
                            "-1",
                            "0",
                            "-0",
                            "1",
                            "989",
                            "991",
                            "99000",
                            "9.90",
                            "990.5",
                            "990.01",
                            "989.999",
                            "1e30",
                            "1e309",
                            "-1e309",
                            "99999999999999999999999999",
                            "9223372036854775807",
                            "9223372036854775808",
                            "-9223372036854775808",
                            "1" + "0".repeat(400),
                            "\"9.90\"",
                            "\"990x\"",
                            "\"-990\"",
                            "\"\"",
                            "\"NaN\"",
                            "\"Infinity\"",
                            "\"九百九十\"",
                            "\"' OR '1'='1\"",
                            "null",
                            "true",
                            "[]",
                            "[990]",
                            "{}",
                            "{\"fen\":990}");
                case 1 -> Long.toString(r.nextLong(-1_000_000_000_000_000L, 1_000_000_000_000_001L));
                default ->
                    BigDecimal.valueOf(r.nextLong(-100_000_000L, 100_000_000L), 1 + r.nextInt(3))
                            .toPlainString();
            };
        } while (!notTheWechatSeedFen(amount));
        return amount;
    }

    static boolean notTheWechatSeedFen(String s) {
        try {
            return new BigDecimal(s.strip()).compareTo(BigDecimal.valueOf(WECHAT_SEED_FEN)) != 0;
        } catch (RuntimeException notANumber) {
            return true;
        }
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
