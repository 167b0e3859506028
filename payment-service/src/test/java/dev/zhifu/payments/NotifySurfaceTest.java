package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.alipay.notify.NotificationSigner;
import dev.zhifu.payments.alipay.DemoKeys;
import dev.zhifu.payments.notifications.RefusedNotifications;
import dev.zhifu.payments.storage.Ids;
import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.MutableClock;
import dev.zhifu.payments.testing.ProductionInstance;
import dev.zhifu.payments.testing.ServiceSuite;
import dev.zhifu.payments.testing.TestClockConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The Alipay-facing surface: its own port serving only {@code /notify/alipay} and {@code /return/alipay}, the IP
 * allow-list, the body size limit, the {@code notify_time} freshness window and the rate limit of refused posts;
 * and secrets that never show in actuator output.
 */
class NotifySurfaceTest {

    static final String SECRET = "whsec_TOPSECRET_4711";
    static final String API_KEY = "sk_TOPSECRET_0815";

    @TempDir
    static Path dir;

    static ConfigurableApplicationContext service;
    static int port;
    static int notifyPort;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        port = ProductionInstance.freePort();
        notifyPort = ProductionInstance.freePort();
        service = new SpringApplicationBuilder(PaymentServiceApplication.class, TestClockConfiguration.class)
                .run(
                        "--server.port=" + port,
                        "--spring.datasource.url=jdbc:h2:mem:surface-" + port + ";DB_CLOSE_DELAY=-1",
                        "--payments.data-dir=" + dir,
                        "--payments.api-keys=" + API_KEY,
                        "--payments.webhook-url=http://127.0.0.1:9/hooks",
                        "--payments.webhook-secret=" + SECRET,
                        "--payments.notify.port=" + notifyPort,
                        "--payments.notify.allowed-ips=127.0.0.0/8, ::1, 198.51.100.0/24",
                        "--payments.notify.max-body-size=2KB",
                        "--payments.notify.max-age=1h",
                        "--payments.notify.refusal-burst=3",
                        "--payments.notify.refusals-per-minute=1",
                        "--payments.notify.evidence-per-source=5",
                        // the proxy in front of the service names the client; Tomcat trusts loopback proxies
                        "--server.forward-headers-strategy=native",
                        "--management.endpoints.web.exposure.include=health,env,configprops");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static HttpResponse<String> post(int port, String path, byte[] body, String forwardedFor) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + API_KEY)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAlipayFacingPortServesOnlyTheAlipayFacingPaths() throws Exception {
        assertThat(get(notifyPort, "/api/v1/events").statusCode()).isEqualTo(404);
        assertThat(get(notifyPort, "/actuator/health").statusCode()).isEqualTo(404);
        assertThat(get(notifyPort, "/swagger-ui.html").statusCode()).isEqualTo(404);
        assertThat(get(port, "/api/v1/events").statusCode()).isEqualTo(200);
        // the any_qr page, which buyers' wallets open at the public URL, and its stylesheet; nothing below it
        HttpResponse<String> anyQr = get(notifyPort, "/pay/pay_000000000000000000000000");
        assertThat(anyQr.statusCode()).isEqualTo(404);
        assertThat(anyQr.body()).as("the page's own 404").contains("No such payment.");
        assertThat(get(notifyPort, "/css/pages.css").statusCode()).isEqualTo(200);
        assertThat(get(notifyPort, "/pay/pay_000000000000000000000000/x").body())
                .isEqualTo("not found");
        assertThat(get(notifyPort, "/css/other.css").body()).isEqualTo("not found");
        HttpResponse<String> notify = post(notifyPort, "/notify/alipay", "a=b".getBytes(), "127.0.0.1");
        assertThat(notify.statusCode()).isEqualTo(200);
        assertThat(notify.body()).isEqualTo("failure");
        assertThat(notify.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(notify.headers().firstValue("Content-Length")).hasValue("7");
        HttpResponse<String> wrongMethod = get(notifyPort, "/notify/alipay");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");
        assertThat(wrongMethod.body()).contains("\"code\":\"method_not_allowed\"");
    }

    @Test
    void theAlipayFacingConnectorHasTheMainConnectorsBoundsOnSlowClients() {
        var tomcat = ((org.springframework.boot.tomcat.TomcatWebServer)
                        ((org.springframework.boot.web.server.context.WebServerApplicationContext) service)
                                .getWebServer())
                .getTomcat();
        org.apache.catalina.connector.Connector facing = java.util.Arrays.stream(
                        tomcat.getService().findConnectors())
                .filter(c -> c.getPort() == notifyPort)
                .findFirst()
                .orElseThrow();
        assertThat(facing.getProperty("connectionTimeout")).isEqualTo(10_000);
        assertThat(facing.getProperty("keepAliveTimeout")).isEqualTo(60_000);
        assertThat(facing.getProperty("maxConnections")).isEqualTo(8192);
    }

    @Test
    void anAddressOutsideTheAllowListIsRefusedBeforeAnythingIsRead() throws Exception {
        int before = received();
        HttpResponse<String> r =
                post(notifyPort, "/notify/alipay", signed(LocalDateTime.now(ZoneOffset.ofHours(8))), "203.0.113.9");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("failure");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(received()).as("not even recorded").isEqualTo(before);
    }

    @Test
    void aBodyOverTheLimitIsRefused() throws Exception {
        byte[] big = ("a=" + "x".repeat(3000)).getBytes();
        assertThat(post(notifyPort, "/notify/alipay", big, "198.51.100.20").statusCode())
                .isEqualTo(413);
    }

    @Test
    void aNotificationOlderThanTheFreshnessWindowIsRefused() throws Exception {
        byte[] stale = signed(LocalDateTime.now(ZoneOffset.ofHours(8)).minusHours(2));
        HttpResponse<String> r = post(port, "/notify/alipay", stale, "198.51.100.30");
        assertThat(r.body()).isEqualTo("failure");
        // a replay is no proof that Alipay sent it now: kept as evidence, not in the audit trail
        String reason =
                service.getBean(RefusedNotifications.class).latest(1).get(0).reason();
        assertThat(reason).startsWith("stale");
    }

    @Test
    void forgedPostsAreThrottledButAGenuineNotificationFromTheSameAddressIsApplied() throws Exception {
        String sender = "198.51.100.66";
        int before = evidence();
        int throttled = 0;
        for (int i = 0; i < 60; i++) {
            HttpResponse<String> r = post(notifyPort, "/notify/alipay", ("forged=" + i).getBytes(), sender);
            assertThat(r.body()).isEqualTo("failure");
            if (r.statusCode() == 429) {
                throttled++;
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
        // a burst of 3 and one more a minute: the rest are refused without being kept
        assertThat(throttled).isBetween(55, 57);
        assertThat(evidence() - before).isEqualTo(60 - throttled);

        // Alipay's genuine notification from the same address (one load balancer in front of all of Alipay's)
        Api api = new Api("http://127.0.0.1:" + port, API_KEY);
        String order = "genuine-" + Ids.random(8);
        Api.Response created = api.post(
                "/api/v1/payments",
                "{\"out_trade_no\":\"" + order + "\",\"amount\":\"2.50\",\"subject\":\"Tea\",\"method\":\"qr\"}");
        assertThat(created.status()).isEqualTo(201);
        byte[] genuine = new NotificationSigner(service.getBean(DemoKeys.class).alipayPrivateKey())
                .formBody(ServiceSuite.tradeSuccess(
                        "2021000000000001",
                        "2088000000000001",
                        order,
                        "2.50",
                        LocalDateTime.now(ZoneOffset.ofHours(8))));
        HttpResponse<String> answer = post(notifyPort, "/notify/alipay", genuine, sender);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("success");
        assertThat(api.get("/api/v1/payments/" + created.json().get("id").asString())
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("PAID");
        assertThat(post(notifyPort, "/notify/alipay", "forged=1".getBytes(), "198.51.100.67")
                        .statusCode())
                .as("other senders are not affected")
                .isEqualTo(200);
    }

    @Test
    void refusedPostsLeaveOnlyBoundedEvidence() throws Exception {
        byte[] big = ("forged=" + "蛋".repeat(500)).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = post(port, "/notify/alipay", big, "198.51.100.80");
        assertThat(r.body()).isEqualTo("failure");
        RefusedNotifications evidence = service.getBean(RefusedNotifications.class);
        RefusedNotifications.Evidence kept = evidence.latest(1).get(0);
        assertThat(kept.remoteAddr()).isEqualTo("198.51.100.80");
        assertThat(kept.reason()).startsWith("bad_signature");
        assertThat(kept.bodySize()).isEqualTo(big.length);
        assertThat(kept.bodyPrefix()).hasSize(256);
        assertThat(kept.bodySha256())
                .isEqualTo(java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(big)));
        assertThat(service.getBean(JdbcClient.class)
                        .sql("SELECT COUNT(*) FROM received_notifications WHERE reason LIKE 'bad_signature%'")
                        .query(Integer.class)
                        .single())
                .as("nothing of it in the verified notifications' audit trail")
                .isZero();

        // at most evidence-per-source (5 here) rows per address, however many it sends over time
        String source = "203.0.113.77";
        int keptForSource = 0;
        for (int i = 0; i < 8; i++) {
            keptForSource += evidence.keep(source, ("x=" + i).getBytes(), "bad_signature: test") ? 1 : 0;
        }
        assertThat(keptForSource).isEqualTo(5);
        double droppedMetric = service.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                .get("payments.notifications.evidence.dropped")
                .counter()
                .count();
        assertThat(droppedMetric).isGreaterThanOrEqualTo(3);
        assertThat(service.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                        .get("payments.notifications.evidence.bytes")
                        .gauge()
                        .value())
                .isPositive();

        // and no longer than the retention
        MutableClock clock = service.getBean(MutableClock.class);
        try {
            clock.advance(java.time.Duration.ofDays(8));
            evidence.sweep();
            assertThat(evidence()).isZero();
            assertThat(service.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                            .get("payments.notifications.evidence.rows")
                            .gauge()
                            .value())
                    .isZero();
        } finally {
            clock.reset();
        }
    }

    private static int evidence() {
        return service.getBean(JdbcClient.class)
                .sql("SELECT COUNT(*) FROM refused_notifications")
                .query(Integer.class)
                .single();
    }

    @Test
    void secretsNeverShowInActuatorOutput() throws Exception {
        for (String endpoint : new String[] {"/actuator/env", "/actuator/configprops"}) {
            HttpResponse<String> r = get(port, endpoint);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).doesNotContain("TOPSECRET").doesNotContain("PRIVATE KEY");
        }
    }

    private static int received() {
        return service.getBean(JdbcClient.class)
                .sql("SELECT COUNT(*) FROM received_notifications")
                .query(Integer.class)
                .single();
    }

    /** A notification signed with the demo's "Alipay" key, sent at {@code notifyTime} (GMT+8). */
    private static byte[] signed(LocalDateTime notifyTime) {
        Map<String, String> p = ServiceSuite.tradeSuccess(
                "2021000000000001", "2088000000000001", "nobody-" + Ids.random(6), "1.00", notifyTime);
        return new NotificationSigner(service.getBean(DemoKeys.class).alipayPrivateKey()).formBody(p);
    }
}
