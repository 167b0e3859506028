package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.alipay.DemoKeys;
import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.ProductionInstance;
import dev.zhifu.payments.testing.TestClockConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The findings of an outsider's attack, each pinned: path spellings that Tomcat and Spring MVC read as an API
 * path must need the key as the plain path does (a refund through {@code /api;/…} once went through without
 * one), and every HTML answer carries the content-security and framing headers. The whole route table in every
 * spelling is tried through the jar by load-test's AttackerIT.
 */
class DenyByDefaultTest {

    @TempDir
    static Path dir;

    static ConfigurableApplicationContext service;
    static int port;
    static Api api;

    @BeforeAll
    static void start() {
        port = ProductionInstance.freePort();
        service = new SpringApplicationBuilder(PaymentServiceApplication.class, TestClockConfiguration.class)
                .run(
                        "--server.port=" + port,
                        "--spring.datasource.url=jdbc:h2:mem:deny-" + port + ";DB_CLOSE_DELAY=-1",
                        "--payments.data-dir=" + dir);
        api = new Api(
                "http://127.0.0.1:" + port,
                DemoKeys.loadOrCreate(dir.toString()).apiKey());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void apiPathsSpelledOtherwiseStillNeedTheKey() {
        String order = "deny-" + System.nanoTime();
        assertThat(api.post(
                                "/api/v1/payments",
                                "{\"out_trade_no\":\"" + order
                                        + "\",\"amount\":\"3.00\",\"subject\":\"Tea\",\"method\":\"qr\"}")
                        .status())
                .isEqualTo(201);
        for (String path : new String[] {
            "/api;x/v1/payments?out_trade_no=" + order,
            "/%61pi/v1/payments?out_trade_no=" + order,
            "/api/v1;/payments?out_trade_no=" + order,
            "//api/v1/payments?out_trade_no=" + order,
            "/api/./v1/payments?out_trade_no=" + order,
            "/x/../api/v1/payments?out_trade_no=" + order,
            "/api%2Fv1/payments?out_trade_no=" + order,
            "/API/v1/payments?out_trade_no=" + order
        }) {
            Raw answer = raw("GET " + path, null);
            assertThat(answer.status()).as(path + ": " + answer.text()).isIn(400, 401, 404);
            assertThat(answer.text()).as(path).doesNotContain(order);
        }
    }

    @Test
    void aRefundThroughASpelledPathIsRefusedAndChangesNothing() throws Exception {
        String order = "deny-refund-" + System.nanoTime();
        Api.Response created = api.post(
                "/api/v1/payments",
                "{\"out_trade_no\":\"" + order + "\",\"amount\":\"6.00\",\"subject\":\"Tea\",\"method\":\"qr\"}");
        String id = created.json().get("id").asString();
        assertThat(api.anonymous("POST", "/sandbox/trades/" + order + "/pay", null, null)
                        .status())
                .isEqualTo(200);
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!api.get("/api/v1/payments/" + id)
                .json()
                .get("status")
                .asString()
                .equals("PAID")) {
            assertThat(System.nanoTime()).as("never paid").isLessThan(until);
            Thread.sleep(100);
        }
        String body = "{\"amount\":\"6.00\",\"reason\":\"x\"}";
        for (String path : new String[] {
            "/api;/v1/payments/" + id + "/refunds",
            "/%61pi/v1/payments/" + id + "/refunds",
            "/api/v1/payments/" + id + ";/refunds",
            "/api/v1/payments/" + id + "/refunds"
        }) {
            Raw answer = raw("POST " + path, body);
            assertThat(answer.status()).as(path + ": " + answer.text()).isIn(400, 401);
        }
        assertThat(api.get("/api/v1/payments/" + id).json().get("status").asString())
                .isEqualTo("PAID");
        assertThat(api.get("/api/v1/payments/" + id + "/refunds").json().get("data"))
                .isEmpty();
    }

    @Test
    void unknownPathsAndMetricsNeedCredentialsWhileHealthStaysOpen() {
        assertThat(api.anonymous("GET", "/nothing-here", null, null).status()).isEqualTo(401);
        assertThat(api.anonymous("POST", "/nothing-here", "application/json", "{}".getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(401);
        assertThat(api.anonymous("GET", "/actuator/prometheus", null, null).status())
                .isEqualTo(401);
        assertThat(api.get("/actuator/prometheus").status()).isEqualTo(200);
        assertThat(api.anonymous("GET", "/actuator/health/liveness", null, null).status())
                .isEqualTo(200);
        // a probe that happens to send a stale key is not refused: the key is not looked at on a public path
        assertThat(new Api(api.base(), "sk_stale").get("/actuator/health").status())
                .isEqualTo(200);
        assertThat(new Api(api.base(), "sk_stale").get("/actuator/prometheus").status())
                .isEqualTo(401);
        Api.Response refused = api.anonymous("GET", "/api/v1/events", null, null);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("code").asString()).isEqualTo("unauthorized");
    }

    /** The page behind an any_qr code is public on purpose (SECURITY.md), one path segment and nothing below it. */
    @Test
    void theAnyQrPageIsPublicAndNothingBelowIt() {
        String order = "deny-any-" + System.nanoTime();
        String id = api.post(
                        "/api/v1/payments",
                        "{\"out_trade_no\":\"" + order
                                + "\",\"amount\":\"3.00\",\"subject\":\"Tea\",\"method\":\"any_qr\"}")
                .json()
                .get("id")
                .asString();
        Api.Response page = api.anonymous("GET", "/pay/" + id, null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(order);
        assertThat(page.header("Set-Cookie")).as("no session for a public page").isNull();
        assertThat(api.anonymous("GET", "/pay/pay_000000000000000000000000", null, null)
                        .status())
                .isEqualTo(404);
        assertThat(api.anonymous("GET", "/pay/" + id + "/x", null, null).status())
                .isEqualTo(401);
        assertThat(api.anonymous("POST", "/pay/" + id, "application/x-www-form-urlencoded", new byte[0])
                        .status())
                .as("GET only")
                .isIn(401, 403, 405);
        assertThat(api.anonymous("GET", "/pay", null, null).status()).isEqualTo(401);
    }

    @Test
    void everyHtmlAnswerForbidsFramingAndInlineScript() {
        for (String path : new String[] {
            "/",
            "/admin/login",
            "/return/alipay?out_trade_no=x",
            "/demo/checkout?product=coffee",
            "/pay/pay_000000000000000000000000",
            "/swagger-ui/index.html",
            "/sandbox/health"
        }) {
            Api.Response page = api.anonymous("GET", path, null, null);
            assertThat(page.header("Content-Security-Policy"))
                    .as(path)
                    .contains("frame-ancestors 'none'")
                    .doesNotContain("script-src 'unsafe-inline'");
            assertThat(page.header("X-Frame-Options")).as(path).isEqualTo("DENY");
            assertThat(page.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
        }
    }

    @Test
    void aHeaderTheFirewallRefusesIsA400ProblemNotA500() {
        Raw answer = raw(
                "POST /api/v1/payments",
                "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\"}",
                "Authorization: Bearer " + DemoKeys.loadOrCreate(dir.toString()).apiKey()
                        + "\r\nIdempotency-Key: a\u0085b\r\n");
        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.text()).contains("\"code\":\"malformed_request\"");
    }

    record Raw(int status, String text) {}

    /** One request over a plain socket, the path exactly as given (no client normalises it). */
    private static Raw raw(String requestLine, String json) {
        return raw(requestLine, json, "");
    }

    /** @param headers extra header lines, each ending in CRLF, sent as ISO-8859-1 bytes */
    private static Raw raw(String requestLine, String json, String headers) {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        String head = requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers
                + (json == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                + "\r\n";
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Raw(Integer.parseInt(answer.substring(9, 12)), answer);
        } catch (IOException e) {
            throw new AssertionError(requestLine, e);
        }
    }
}
