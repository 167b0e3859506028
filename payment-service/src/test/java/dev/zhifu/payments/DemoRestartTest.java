package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.ProductionInstance;
import dev.zhifu.payments.testing.ServiceSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The demo restarted on its data directory: its database remembers the payments, and its sandbox remembers the
 * trades, so a payment made before the restart can still be refunded (it used to fail with TRADE_NOT_EXIST).
 */
class DemoRestartTest {

    @TempDir
    Path dir;

    private ConfigurableApplicationContext demo(int port) {
        return ProductionInstance.start(List.of("--server.port=" + port, "--payments.data-dir=" + dir));
    }

    @Test
    void aPaymentMadeBeforeARestartIsRefundedAfterIt() throws Exception {
        int port = ProductionInstance.freePort();
        String no = "restart-" + System.nanoTime();
        String id;
        String key;
        try (ConfigurableApplicationContext first = demo(port)) {
            key = Files.readString(dir.resolve("demo-keys/demo_api_key.txt")).strip();
            Api api = new Api("http://127.0.0.1:" + port, key);
            JsonNode created = api.post(
                            "/api/v1/payments",
                            "{\"out_trade_no\":\"" + no
                                    + "\",\"amount\":\"6.00\",\"subject\":\"Tea\",\"method\":\"qr\"}")
                    .json();
            id = created.get("id").asString();
            assertThat(api.anonymous("POST", "/sandbox/trades/" + no + "/pay", "application/json", new byte[0])
                            .status())
                    .isEqualTo(200);
            ServiceSuite.await(
                    () -> "PAID"
                            .equals(api.get("/api/v1/payments/" + id)
                                    .json()
                                    .get("status")
                                    .asString()),
                    Duration.ofSeconds(30),
                    () -> "the notification never arrived");
        }
        assertThat(Files.readString(dir.resolve("sandbox-trades.jsonl"))).contains(no);

        try (ConfigurableApplicationContext second = demo(port)) {
            Api api = new Api("http://127.0.0.1:" + port, key);
            Api.Response refund = api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"2.00\"}");
            assertThat(refund.status()).as(refund.body()).isEqualTo(201);
            assertThat(refund.json().get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(api.anonymous("GET", "/sandbox/trades/" + no, null, null)
                            .json()
                            .get("refunded_amount")
                            .asString())
                    .isEqualTo("2.00");
        }
    }
}
