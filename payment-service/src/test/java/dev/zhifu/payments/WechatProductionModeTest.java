package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.storage.Ids;
import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.ProductionInstance;
import dev.zhifu.payments.testing.ServiceSuite;
import dev.zhifu.payments.testing.TestDatabase;
import dev.zhifu.sandbox.AlipaySandbox;
import dev.zhifu.sandbox.junit.AlipaySandboxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * WeChat Pay in production mode: the {@code wechatpay.*} settings (public key mode) of a deployment, read and checked
 * at start-up, against a standalone sandbox on its own port as WeChat Pay: a Native payment created, paid by the
 * buyer, notified to {@code /notify/wechatpay} and applied; refunded; another closed (docs/payment-channels.md).
 */
class WechatProductionModeTest {

    @RegisterExtension
    static final AlipaySandboxExtension GATEWAYS = new AlipaySandboxExtension(b -> {});

    @TempDir
    Path dir;

    @Test
    void aProductionInstanceTakesWechatPayThroughItsSettings() {
        AlipaySandbox sandbox = GATEWAYS.sandbox();
        Map<String, Object> db =
                TestDatabase.H2.create("w_" + Ids.random(8), dir.resolve("db").toString());
        int port = ProductionInstance.freePort();
        List<String> args = new ArrayList<>(ProductionInstance.args(
                port,
                sandbox,
                ProductionInstance.appKeyFile(dir, ProductionInstance.appKey(sandbox)),
                db,
                dir.resolve("data"),
                null));
        args.addAll(ProductionInstance.wechatArgs(sandbox, dir.resolve("wechat"), port));
        try (ConfigurableApplicationContext ignored = ProductionInstance.start(args)) {
            Api api = new Api("http://127.0.0.1:" + port, ProductionInstance.API_KEY);
            String no = "wp-" + Ids.random(12);
            Api.Response created = api.post(
                    "/api/v1/payments",
                    "{\"out_trade_no\":\"" + no
                            + "\",\"amount\":\"12.34\",\"subject\":\"Tea\",\"method\":\"wechat_native\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String id = created.json().get("id").asString();
            assertThat(created.json().get("channel").asString()).isEqualTo("wechatpay");
            assertThat(created.json().get("action").get("qr_code").asString()).contains("/wechat/qr/");

            sandbox.control().pay(no);
            JsonNode[] last = new JsonNode[1];
            ServiceSuite.await(
                    () -> "PAID"
                            .equals((last[0] = api.get("/api/v1/payments/" + id).json())
                                    .get("status")
                                    .asString()),
                    Duration.ofSeconds(30),
                    () -> "never PAID by WeChat Pay's notification: " + last[0]);
            assertThat(last[0].get("trade_no").asString()).startsWith("4200");

            Api.Response refund = api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"12.34\"}");
            assertThat(refund.status()).as(refund.body()).isEqualTo(201);
            ServiceSuite.await(
                    () -> "REFUNDED"
                            .equals(api.get("/api/v1/payments/" + id)
                                    .json()
                                    .get("status")
                                    .asString()),
                    Duration.ofSeconds(30),
                    () -> "never REFUNDED");

            String other = "wp-" + Ids.random(12);
            String otherId = api.post(
                            "/api/v1/payments",
                            "{\"out_trade_no\":\"" + other
                                    + "\",\"amount\":\"1.00\",\"subject\":\"Tea\",\"method\":\"wechat_native\"}")
                    .json()
                    .get("id")
                    .asString();
            Api.Response closed = api.post("/api/v1/payments/" + otherId + "/close", "");
            assertThat(closed.status()).as(closed.body()).isEqualTo(200);
            assertThat(sandbox.control().trade(other).get("trade_state").asText())
                    .isEqualTo("CLOSED");
        }
    }
}
