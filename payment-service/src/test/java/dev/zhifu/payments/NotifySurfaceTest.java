package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.alipay.notify.NotificationSigner;
import dev.zhifu.payments.alipay.DemoKeys;
import dev.zhifu.payments.support.Ids;
import dev.zhifu.payments.testing.ProductionInstance;
import dev.zhifu.payments.testing.ServiceSuite;
import dev.zhifu.payments.testing.TestClockConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
        service = new SpringApplicationBuilder(PaymentServiceApplication.class, TestClockConfiguration.class).run(
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
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAlipayFacingPortServesOnlyTheAlipayFacingPaths() throws Exception {
        assertThat(get(notifyPort, "/api/v1/events").statusCode()).isEqualTo(404);
        assertThat(get(notifyPort, "/actuator/health").statusCode()).isEqualTo(404);
        assertThat(get(notifyPort, "/swagger-ui.html").statusCode()).isEqualTo(404);
        assertThat(get(port, "/api/v1/events").statusCode()).isEqualTo(200);
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
    void anAddressOutsideTheAllowListIsRefusedBeforeAnythingIsRead() throws Exception {
        int before = received();
        HttpResponse<String> r = post(notifyPort, "/notify/alipay", signed(LocalDateTime.now(ZoneOffset.ofHours(8))),
                "203.0.113.9");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("failure");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(received()).as("not even recorded").isEqualTo(before);
    }

    @Test
    void aBodyOverTheLimitIsRefused() throws Exception {
        byte[] big = ("a=" + "x".repeat(3000)).getBytes();
        assertThat(post(notifyPort, "/notify/alipay", big, "198.51.100.20").statusCode()).isEqualTo(413);
    }

    @Test
    void aNotificationOlderThanTheFreshnessWindowIsRefused() throws Exception {
        byte[] stale = signed(LocalDateTime.now(ZoneOffset.ofHours(8)).minusHours(2));
        HttpResponse<String> r = post(port, "/notify/alipay", stale, "198.51.100.30");
        assertThat(r.body()).isEqualTo("failure");
        String reason = service.getBean(JdbcClient.class)
                .sql("SELECT reason FROM received_notifications ORDER BY received_at DESC LIMIT 1").query(String.class).single();
        assertThat(reason).startsWith("stale");
    }

    @Test
    void anAddressThatKeepsSendingRefusedPostsIsThrottled() throws Exception {
        String sender = "198.51.100.66";
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = post(notifyPort, "/notify/alipay", "forged=1".getBytes(), sender);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("failure");
        }
        int before = received();
        assertThat(post(notifyPort, "/notify/alipay", signed(LocalDateTime.now(ZoneOffset.ofHours(8))), sender)
                .statusCode()).isEqualTo(429);
        assertThat(received()).as("throttled posts are not looked at").isEqualTo(before);
        assertThat(post(notifyPort, "/notify/alipay", "forged=1".getBytes(), "198.51.100.67").statusCode())
                .as("other senders are not affected").isEqualTo(200);
    }

    @Test
    void secretsNeverShowInActuatorOutput() throws Exception {
        for (String endpoint : new String[]{"/actuator/env", "/actuator/configprops"}) {
            HttpResponse<String> r = get(port, endpoint);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).doesNotContain("TOPSECRET").doesNotContain("PRIVATE KEY");
        }
    }

    private static int received() {
        return service.getBean(JdbcClient.class).sql("SELECT COUNT(*) FROM received_notifications")
                .query(Integer.class).single();
    }

    /** A notification signed with the demo's "Alipay" key, sent at {@code notifyTime} (GMT+8). */
    private static byte[] signed(LocalDateTime notifyTime) {
        Map<String, String> p = ServiceSuite.tradeSuccess("2021000000000001", "2088000000000001",
                "nobody-" + Ids.random(6), "1.00", notifyTime);
        return new NotificationSigner(service.getBean(DemoKeys.class).alipayPrivateKey()).formBody(p);
    }
}
