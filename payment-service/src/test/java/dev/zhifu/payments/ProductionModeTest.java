package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.fixtures.WechatPayTestKeys;
import dev.zhifu.payments.testing.Api;
import dev.zhifu.sandbox.AlipaySandbox;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Production mode: {@code alipay.gateway-url} set, keys from files or inline, no demo fallback. The "real"
 * Alipay here is a standalone sandbox on its own port.
 */
class ProductionModeTest {

    static AlipaySandbox alipay;
    static KeyPair app;

    @TempDir
    Path dir;

    @BeforeAll
    static void startAlipay() {
        app = AlipayKeys.generateRsa2048();
        alipay = AlipaySandbox.builder().appPublicKey(app.getPublic()).build().start();
    }

    @AfterAll
    static void stopAlipay() {
        alipay.close();
    }

    @Test
    void takesAPaymentThroughAnExternalGatewayWithKeysFromFilesAndInline() throws Exception {
        Path appKey = dir.resolve("app_private_key.pem");
        Files.writeString(appKey, AlipayKeys.toPem(app.getPrivate()), StandardCharsets.US_ASCII);
        payThroughProductionService(
                "--alipay.app-private-key=" + appKey, "--alipay.alipay-public-key=" + alipay.alipayPublicKeyBase64());
    }

    @Test
    void takesAPaymentInCertificateMode() throws Exception {
        Path appCert = dir.resolve("appCertPublicKey.crt");
        Path alipayCert = dir.resolve("alipayCertPublicKey_RSA2.crt");
        Path rootCert = dir.resolve("alipayRootCert.crt");
        Files.writeString(appCert, alipay.appCertPem(), StandardCharsets.US_ASCII);
        Files.writeString(alipayCert, alipay.alipayCertPem(), StandardCharsets.US_ASCII);
        Files.writeString(rootCert, alipay.alipayRootCertPem(), StandardCharsets.US_ASCII);
        payThroughProductionService(
                "--alipay.app-private-key=" + AlipayKeys.toBase64(app.getPrivate()),
                "--alipay.app-cert=" + appCert,
                "--alipay.alipay-cert=" + alipayCert,
                "--alipay.alipay-root-cert=" + rootCert);
    }

    private void payThroughProductionService(String... keySettings) throws Exception {
        int port = freePort();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "--server.port=" + port,
                "--spring.datasource.url=jdbc:h2:mem:prod-" + port + ";DB_CLOSE_DELAY=-1",
                "--payments.data-dir=" + dir,
                "--payments.api-keys=sk_live_one, sk_live_two",
                "--alipay.gateway-url=" + alipay.gatewayUrl(),
                "--alipay.app-id=" + alipay.appId(),
                "--alipay.seller-id=" + alipay.sellerId(),
                "--alipay.notify-url=http://127.0.0.1:" + port + "/notify/alipay"));
        args.addAll(java.util.List.of(keySettings));
        try (ConfigurableApplicationContext service =
                new SpringApplicationBuilder(PaymentServiceApplication.class).run(args.toArray(String[]::new))) {
            Api api = new Api("http://127.0.0.1:" + port, "sk_live_two");
            Api.Response created =
                    api.post("/api/v1/payments", "{\"amount\":\"9.90\",\"subject\":\"Coffee\",\"method\":\"qr\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            JsonNode payment = created.json();
            assertThat(payment.get("action").get("qr_code").asString()).startsWith(alipay.baseUrl());

            alipay.control().pay(payment.get("out_trade_no").asString());
            String id = payment.get("id").asString();
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!"PAID"
                    .equals(api.get("/api/v1/payments/" + id)
                            .json()
                            .get("status")
                            .asString())) {
                assertThat(System.nanoTime()).as("payment never became PAID").isLessThan(until);
                Thread.sleep(100);
            }
            // no sandbox inside the service in production: the path is not public there, so it needs credentials
            assertThat(api.anonymous("GET", "/sandbox/trades/x", null, null).status())
                    .isEqualTo(401);
            assertThat(api.get("/sandbox/trades/x").status()).isEqualTo(401);
            assertThat(api.anonymous("GET", "/", null, null).status())
                    .as("no demo shop in production")
                    .isEqualTo(401);
            assertThat(api.anonymous("GET", "/demo/checkout?product=coffee", null, null)
                            .status())
                    .isEqualTo(401);
            assertThat(new Api(api.base(), "sk_demo_x")
                            .get("/api/v1/payments/" + id)
                            .status())
                    .isEqualTo(401);
        }
    }

    @Test
    void theH2DatabaseDirectoryItCreatesIsOwnerOnly() throws Exception {
        Path dataDir = dir.resolve("fresh/data"); // the default database: jdbc:h2:file:<payments.data-dir>/payments
        int port = freePort();
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(PaymentServiceApplication.class)
                .run(
                        "--server.port=" + port,
                        "--payments.data-dir=" + dataDir,
                        "--payments.api-keys=sk_live_one",
                        "--alipay.gateway-url=" + alipay.gatewayUrl(),
                        "--alipay.app-id=" + alipay.appId(),
                        "--alipay.app-private-key=" + AlipayKeys.toBase64(app.getPrivate()),
                        "--alipay.alipay-public-key=" + alipay.alipayPublicKeyBase64(),
                        "--alipay.notify-url=http://127.0.0.1:" + port + "/notify/alipay")) {
            assertThat(dataDir.resolve("payments.mv.db")).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void refusesToStartWithoutTheSettingsProductionNeedsNamingEachOne() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(PaymentServiceApplication.class)
                        .run(
                                "--server.port=0",
                                "--spring.datasource.url=jdbc:h2:mem:refuse;DB_CLOSE_DELAY=-1",
                                "--payments.data-dir=" + dir,
                                "--alipay.gateway-url=https://openapi.alipay.com/gateway.do")
                        .close())
                .hasStackTraceContaining("alipay.app-id")
                .hasStackTraceContaining("alipay.app-private-key")
                .hasStackTraceContaining("alipay.alipay-public-key")
                .hasStackTraceContaining("alipay.notify-url")
                .hasStackTraceContaining("payments.api-keys");
    }

    @Test
    void refusesToStartWithAPlainHttpGatewayOffThisMachine() {
        // every other setting is sound: the gateway URL alone stops the start, before anything is sent to it
        assertThatThrownBy(() -> new SpringApplicationBuilder(PaymentServiceApplication.class)
                        .run(
                                "--server.port=0",
                                "--spring.datasource.url=jdbc:h2:mem:refuse-http;DB_CLOSE_DELAY=-1",
                                "--payments.data-dir=" + dir,
                                "--payments.api-keys=sk_live_one",
                                "--alipay.gateway-url=http://openapi.alipay.com/gateway.do",
                                "--alipay.app-id=" + alipay.appId(),
                                "--alipay.app-private-key=" + AlipayKeys.toBase64(app.getPrivate()),
                                "--alipay.alipay-public-key=" + alipay.alipayPublicKeyBase64(),
                                "--alipay.notify-url=https://shop.example.com/notify/alipay")
                        .close())
                .hasStackTraceContaining("alipay.gateway-url must be https")
                .hasStackTraceContaining("got http://openapi.alipay.com/gateway.do");
    }

    @Test
    void refusesToStartWithABadWechatPaySettingNamingIt() throws Exception {
        // Alipay is sound; WeChat Pay is on (wechatpay.mchid) with its merchant key where WeChat Pay's public key goes
        Path merchantKey = dir.resolve("apiclient_key.pem");
        Files.writeString(merchantKey, WechatPayTestKeys.text("merchant_private_key.pem"), StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new SpringApplicationBuilder(PaymentServiceApplication.class)
                        .run(
                                "--server.port=0",
                                "--spring.datasource.url=jdbc:h2:mem:refuse-wechat;DB_CLOSE_DELAY=-1",
                                "--payments.data-dir=" + dir,
                                "--payments.api-keys=sk_live_one",
                                "--alipay.gateway-url=" + alipay.gatewayUrl(),
                                "--alipay.app-id=" + alipay.appId(),
                                "--alipay.app-private-key=" + AlipayKeys.toBase64(app.getPrivate()),
                                "--alipay.alipay-public-key=" + alipay.alipayPublicKeyBase64(),
                                "--alipay.notify-url=https://shop.example.com/notify/alipay",
                                "--wechatpay.mchid=" + WechatPayTestKeys.MCHID,
                                "--wechatpay.appid=" + WechatPayTestKeys.APP_ID,
                                "--wechatpay.merchant-serial-number=" + WechatPayTestKeys.MERCHANT_SERIAL,
                                "--wechatpay.private-key=" + merchantKey,
                                "--wechatpay.apiv3-key=" + WechatPayTestKeys.APIV3_KEY,
                                "--wechatpay.public-key=" + merchantKey,
                                "--wechatpay.public-key-id=" + WechatPayTestKeys.PUBLIC_KEY_ID,
                                "--wechatpay.notify-url=https://shop.example.com/notify/wechatpay")
                        .close())
                .hasStackTraceContaining(
                        "wechatpay.public-key (file " + merchantKey.toAbsolutePath() + ") holds a private key")
                .hasStackTraceContaining("belongs in wechatpay.private-key");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
