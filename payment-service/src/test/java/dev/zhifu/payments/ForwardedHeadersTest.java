package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.payments.testing.ProductionInstance;
import dev.zhifu.payments.testing.TestClockConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Behind a proxy the client's address comes from {@code X-Forwarded-For}, but only when the proxy that sent it
 * is trusted ({@code server.forward-headers-strategy=native} and {@code server.tomcat.remoteip.internal-proxies});
 * the strategy that trusts anyone is refused at start-up.
 */
class ForwardedHeadersTest {

    @TempDir
    Path dir;

    private ConfigurableApplicationContext start(int port, String... extra) {
        String[] args = new String[extra.length + 3];
        args[0] = "--server.port=" + port;
        args[1] = "--spring.datasource.url=jdbc:h2:mem:fwd-" + port + ";DB_CLOSE_DELAY=-1";
        args[2] = "--payments.data-dir=" + dir;
        System.arraycopy(extra, 0, args, 3, extra.length);
        return new SpringApplicationBuilder(PaymentServiceApplication.class, TestClockConfiguration.class).run(args);
    }

    private static int notify(int port, String forwardedFor) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/notify/alipay"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString("a=b"))
                .build();
        return HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void anUntrustedSenderCannotNameItsOwnAddress() throws Exception {
        int port = ProductionInstance.freePort();
        try (ConfigurableApplicationContext service = start(
                port,
                "--server.forward-headers-strategy=native",
                "--server.tomcat.remoteip.internal-proxies=10\\.9\\.9\\.9",
                "--payments.notify.allowed-ips=198.51.100.0/24")) {
            // 127.0.0.1 is not a trusted proxy here: its X-Forwarded-For is ignored, and 127.0.0.1 is not allowed
            assertThat(notify(port, "198.51.100.5")).isEqualTo(403);
        }
    }

    @Test
    void aTrustedProxyNamesTheClient() throws Exception {
        int port = ProductionInstance.freePort();
        try (ConfigurableApplicationContext service = start(
                port,
                "--server.forward-headers-strategy=native",
                "--server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1",
                "--payments.notify.allowed-ips=198.51.100.0/24")) {
            assertThat(notify(port, "198.51.100.5")).isEqualTo(200);
            assertThat(notify(port, "203.0.113.5")).isEqualTo(403);
        }
    }

    @Test
    void theStrategyThatTrustsEveryClientIsRefused() {
        assertThatThrownBy(() -> start(ProductionInstance.freePort(), "--server.forward-headers-strategy=framework"))
                .hasStackTraceContaining("server.forward-headers-strategy=framework trusts X-Forwarded-For");
    }
}
